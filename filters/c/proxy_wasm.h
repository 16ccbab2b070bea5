/*
 * proxy_wasm.h - the raw Proxy-Wasm ABI 0.2.1 as our C filters use it, plus a few small helpers.
 *
 * Written for wasm-gateway's example filters (clang --target=wasm32-wasi, wasi-libc). Only the
 * host functions a filter actually calls end up as imports of its module (module "env").
 *
 * Conventions of the ABI (spec: proxy-wasm/spec, abi-versions/v0.2.1):
 *   - every host function returns a proxy_status_t;
 *   - data the host hands back (header values, buffers, properties) is written into memory the host
 *     allocates through the module's exported proxy_on_memory_allocate (here: malloc). The filter
 *     owns that memory and must free() it;
 *   - header maps are serialized as: u32 count, count x (u32 key length, u32 value length), then
 *     "key\0value\0" per pair, all little-endian;
 *   - a property path is its segments joined by '\0' ("request\0path"), with no trailing '\0'.
 *
 * Each filter defines and exports its callbacks with PROXY_EXPORT, e.g.
 *   PROXY_EXPORT(proxy_on_configure) uint32_t proxy_on_configure(uint32_t root_id, uint32_t size) {...}
 */
#ifndef WASM_GATEWAY_PROXY_WASM_H
#define WASM_GATEWAY_PROXY_WASM_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PROXY_IMPORT(name) __attribute__((import_module("env"), import_name(#name)))
#define PROXY_EXPORT(name) __attribute__((export_name(#name)))

/* ---- Types ------------------------------------------------------------------------------------ */

typedef enum {
  PROXY_OK = 0,
  PROXY_NOT_FOUND = 1,
  PROXY_BAD_ARGUMENT = 2,
  PROXY_SERIALIZATION_FAILURE = 3,
  PROXY_PARSE_FAILURE = 4,
  PROXY_INVALID_MEMORY_ACCESS = 6,
  PROXY_EMPTY = 7,
  PROXY_CAS_MISMATCH = 8,
  PROXY_INTERNAL_FAILURE = 10,
  PROXY_UNIMPLEMENTED = 12,
} proxy_status_t;

typedef enum {
  PROXY_LOG_TRACE = 0,
  PROXY_LOG_DEBUG = 1,
  PROXY_LOG_INFO = 2,
  PROXY_LOG_WARN = 3,
  PROXY_LOG_ERROR = 4,
  PROXY_LOG_CRITICAL = 5,
} proxy_log_level_t;

/* Return values of the header/body callbacks. */
typedef enum {
  PROXY_ACTION_CONTINUE = 0,
  PROXY_ACTION_PAUSE = 1,
} proxy_action_t;

typedef enum {
  PROXY_MAP_HTTP_REQUEST_HEADERS = 0,
  PROXY_MAP_HTTP_REQUEST_TRAILERS = 1,
  PROXY_MAP_HTTP_RESPONSE_HEADERS = 2,
  PROXY_MAP_HTTP_RESPONSE_TRAILERS = 3,
  PROXY_MAP_GRPC_RECEIVE_INITIAL_METADATA = 4,
  PROXY_MAP_GRPC_RECEIVE_TRAILING_METADATA = 5,
  PROXY_MAP_HTTP_CALL_RESPONSE_HEADERS = 6,
  PROXY_MAP_HTTP_CALL_RESPONSE_TRAILERS = 7,
} proxy_map_type_t;

typedef enum {
  PROXY_BUFFER_HTTP_REQUEST_BODY = 0,
  PROXY_BUFFER_HTTP_RESPONSE_BODY = 1,
  PROXY_BUFFER_HTTP_CALL_RESPONSE_BODY = 4,
  PROXY_BUFFER_GRPC_RECEIVE = 5,
  PROXY_BUFFER_VM_CONFIGURATION = 6,
  PROXY_BUFFER_PLUGIN_CONFIGURATION = 7,
} proxy_buffer_type_t;

typedef enum {
  PROXY_STREAM_HTTP_REQUEST = 0,
  PROXY_STREAM_HTTP_RESPONSE = 1,
} proxy_stream_type_t;

/* grpc_status argument of proxy_send_local_response meaning "not a gRPC response". */
#define PROXY_NO_GRPC_STATUS ((uint32_t)-1)

/* ---- Host functions (imports, module "env") -------------------------------------------------- */

PROXY_IMPORT(proxy_log)
proxy_status_t proxy_log(proxy_log_level_t level, const char *message, size_t message_size);

PROXY_IMPORT(proxy_get_log_level)
proxy_status_t proxy_get_log_level(proxy_log_level_t *return_level);

PROXY_IMPORT(proxy_get_buffer_status)
proxy_status_t proxy_get_buffer_status(proxy_buffer_type_t type, size_t *return_size,
                                       uint32_t *return_flags);

PROXY_IMPORT(proxy_get_buffer_bytes)
proxy_status_t proxy_get_buffer_bytes(proxy_buffer_type_t type, size_t start, size_t max_size,
                                      char **return_data, size_t *return_size);

PROXY_IMPORT(proxy_get_header_map_pairs)
proxy_status_t proxy_get_header_map_pairs(proxy_map_type_t type, char **return_data,
                                          size_t *return_size);

PROXY_IMPORT(proxy_get_header_map_value)
proxy_status_t proxy_get_header_map_value(proxy_map_type_t type, const char *key, size_t key_size,
                                          char **return_value, size_t *return_value_size);

PROXY_IMPORT(proxy_add_header_map_value)
proxy_status_t proxy_add_header_map_value(proxy_map_type_t type, const char *key, size_t key_size,
                                          const char *value, size_t value_size);

PROXY_IMPORT(proxy_replace_header_map_value)
proxy_status_t proxy_replace_header_map_value(proxy_map_type_t type, const char *key,
                                              size_t key_size, const char *value,
                                              size_t value_size);

PROXY_IMPORT(proxy_remove_header_map_value)
proxy_status_t proxy_remove_header_map_value(proxy_map_type_t type, const char *key,
                                             size_t key_size);

PROXY_IMPORT(proxy_get_property)
proxy_status_t proxy_get_property(const char *path, size_t path_size, char **return_value,
                                  size_t *return_value_size);

PROXY_IMPORT(proxy_set_buffer_bytes)
proxy_status_t proxy_set_buffer_bytes(proxy_buffer_type_t type, size_t start, size_t size,
                                      const char *data, size_t data_size);

PROXY_IMPORT(proxy_send_local_response)
proxy_status_t proxy_send_local_response(uint32_t status_code, const char *details,
                                         size_t details_size, const char *body, size_t body_size,
                                         const char *serialized_headers,
                                         size_t serialized_headers_size, uint32_t grpc_status);

PROXY_IMPORT(proxy_continue_stream)
proxy_status_t proxy_continue_stream(proxy_stream_type_t stream);

PROXY_IMPORT(proxy_http_call)
proxy_status_t proxy_http_call(const char *upstream, size_t upstream_size, const char *headers,
                               size_t headers_size, const char *body, size_t body_size,
                               const char *trailers, size_t trailers_size, uint32_t timeout_ms,
                               uint32_t *return_token);

PROXY_IMPORT(proxy_grpc_call)
proxy_status_t proxy_grpc_call(const char *upstream, size_t upstream_size, const char *service,
                               size_t service_size, const char *method, size_t method_size,
                               const char *metadata, size_t metadata_size, const char *message,
                               size_t message_size, uint32_t timeout_ms, uint32_t *return_token);

PROXY_IMPORT(proxy_grpc_stream)
proxy_status_t proxy_grpc_stream(const char *upstream, size_t upstream_size, const char *service,
                                 size_t service_size, const char *method, size_t method_size,
                                 const char *metadata, size_t metadata_size, uint32_t *return_token);

PROXY_IMPORT(proxy_grpc_send)
proxy_status_t proxy_grpc_send(uint32_t token, const char *message, size_t message_size,
                               uint32_t end_of_stream);

PROXY_IMPORT(proxy_grpc_cancel)
proxy_status_t proxy_grpc_cancel(uint32_t token);

PROXY_IMPORT(proxy_grpc_close)
proxy_status_t proxy_grpc_close(uint32_t token);

PROXY_IMPORT(proxy_get_status)
proxy_status_t proxy_get_status(uint32_t *return_code, char **return_message,
                                size_t *return_message_size);

PROXY_IMPORT(proxy_set_effective_context)
proxy_status_t proxy_set_effective_context(uint32_t context_id);

PROXY_IMPORT(proxy_set_tick_period_milliseconds)
proxy_status_t proxy_set_tick_period_milliseconds(uint32_t period_ms);

PROXY_IMPORT(proxy_get_current_time_nanoseconds)
proxy_status_t proxy_get_current_time_nanoseconds(uint64_t *return_time);

PROXY_IMPORT(proxy_get_shared_data)
proxy_status_t proxy_get_shared_data(const char *key, size_t key_size, char **return_value,
                                     size_t *return_value_size, uint32_t *return_cas);

PROXY_IMPORT(proxy_set_shared_data)
proxy_status_t proxy_set_shared_data(const char *key, size_t key_size, const char *value,
                                     size_t value_size, uint32_t cas);

PROXY_IMPORT(proxy_register_shared_queue)
proxy_status_t proxy_register_shared_queue(const char *name, size_t name_size, uint32_t *return_id);

PROXY_IMPORT(proxy_resolve_shared_queue)
proxy_status_t proxy_resolve_shared_queue(const char *vm_id, size_t vm_id_size, const char *name,
                                          size_t name_size, uint32_t *return_id);

PROXY_IMPORT(proxy_enqueue_shared_queue)
proxy_status_t proxy_enqueue_shared_queue(uint32_t queue_id, const char *value, size_t value_size);

PROXY_IMPORT(proxy_dequeue_shared_queue)
proxy_status_t proxy_dequeue_shared_queue(uint32_t queue_id, char **return_value,
                                          size_t *return_value_size);

/* Metric types of proxy_define_metric. */
typedef enum {
  PROXY_METRIC_COUNTER = 0,
  PROXY_METRIC_GAUGE = 1,
  PROXY_METRIC_HISTOGRAM = 2,
} proxy_metric_type_t;

PROXY_IMPORT(proxy_define_metric)
proxy_status_t proxy_define_metric(proxy_metric_type_t type, const char *name, size_t name_size,
                                   uint32_t *return_id);

PROXY_IMPORT(proxy_increment_metric)
proxy_status_t proxy_increment_metric(uint32_t metric_id, int64_t offset);

PROXY_IMPORT(proxy_record_metric)
proxy_status_t proxy_record_metric(uint32_t metric_id, uint64_t value);

/* ---- Helpers ---------------------------------------------------------------------------------- */

/* Logs a NUL-terminated string. */
static inline proxy_status_t proxy_log_string(proxy_log_level_t level, const char *message) {
  return proxy_log(level, message, strlen(message));
}

/* Logs prefix + data[0..data_size) + suffix (data need not be NUL-terminated). */
static inline void proxy_log_concat(proxy_log_level_t level, const char *prefix, const char *data,
                                    size_t data_size, const char *suffix) {
  size_t p = strlen(prefix), s = strlen(suffix);
  char *message = malloc(p + data_size + s);
  if (message == NULL) {
    proxy_log_string(level, prefix);
    return;
  }
  memcpy(message, prefix, p);
  memcpy(message + p, data, data_size);
  memcpy(message + p + data_size, suffix, s);
  proxy_log(level, message, p + data_size + s);
  free(message);
}

/*
 * Reads the plugin configuration (valid in proxy_on_configure) into a malloc'd, NUL-terminated
 * buffer; *return_size gets its length without the terminator. Returns NULL if the host refused.
 * The caller frees the result.
 */
static inline char *proxy_read_plugin_configuration(size_t configuration_size,
                                                    size_t *return_size) {
  char *data = NULL;
  size_t size = 0;
  *return_size = 0;
  if (configuration_size > 0) {
    proxy_status_t status = proxy_get_buffer_bytes(PROXY_BUFFER_PLUGIN_CONFIGURATION, 0,
                                                   configuration_size, &data, &size);
    if (status != PROXY_OK) {
      free(data);
      return NULL;
    }
  }
  /* data was allocated by the host through our malloc, so realloc may grow it. */
  char *text = realloc(data, size + 1);
  if (text == NULL) {
    free(data);
    return NULL;
  }
  text[size] = '\0';
  *return_size = size;
  return text;
}

/*
 * Reads the whole body buffer (PROXY_BUFFER_HTTP_REQUEST_BODY or ..._RESPONSE_BODY) of body_size
 * bytes, as a body callback's size argument gives it, into a host-allocated *return_data (free it).
 * Returns its size; 0 (and NULL) for an empty body or when the host refused.
 */
static inline size_t proxy_read_body(proxy_buffer_type_t type, size_t body_size, char **return_data) {
  size_t size = 0;
  *return_data = NULL;
  if (body_size > 0 && proxy_get_buffer_bytes(type, 0, body_size, return_data, &size) != PROXY_OK) {
    free(*return_data);
    *return_data = NULL;
    size = 0;
  }
  return size;
}

/*
 * Header access on a map (PROXY_MAP_HTTP_REQUEST_HEADERS, PROXY_MAP_HTTP_RESPONSE_HEADERS, ...).
 * proxy_header_get stores a host-allocated value in *return_value (free it) when it returns PROXY_OK;
 * a missing header gives PROXY_NOT_FOUND (ABI 0.2.x).
 */
static inline proxy_status_t proxy_header_get(proxy_map_type_t map, const char *name,
                                              char **return_value, size_t *return_size) {
  *return_value = NULL;
  *return_size = 0;
  proxy_status_t status =
      proxy_get_header_map_value(map, name, strlen(name), return_value, return_size);
  if (status != PROXY_OK) {
    free(*return_value);
    *return_value = NULL;
    *return_size = 0;
  }
  return status;
}

static inline proxy_status_t proxy_header_add(proxy_map_type_t map, const char *name,
                                              const char *value, size_t value_size) {
  return proxy_add_header_map_value(map, name, strlen(name), value, value_size);
}

static inline proxy_status_t proxy_header_replace(proxy_map_type_t map, const char *name,
                                                  const char *value, size_t value_size) {
  return proxy_replace_header_map_value(map, name, strlen(name), value, value_size);
}

static inline proxy_status_t proxy_header_remove(proxy_map_type_t map, const char *name) {
  return proxy_remove_header_map_value(map, name, strlen(name));
}

/*
 * Converts a dotted property path ("request.path") of dotted_size bytes into the ABI's form, its
 * segments joined by '\0' ("request\0path"). Returns a malloc'd buffer of the same length (not
 * NUL-terminated), or NULL when out of memory.
 */
static inline char *proxy_property_path(const char *dotted, size_t dotted_size) {
  char *path = malloc(dotted_size ? dotted_size : 1);
  if (path == NULL) {
    return NULL;
  }
  for (size_t i = 0; i < dotted_size; i++) {
    path[i] = dotted[i] == '.' ? '\0' : dotted[i];
  }
  return path;
}

/*
 * Gets the property at a dotted path ("request.path", "destination.port"). On PROXY_OK
 * *return_value holds a host-allocated value of *return_size bytes (free it); properties are raw
 * bytes (Envoy: strings raw, integers as 8 bytes little-endian).
 */
static inline proxy_status_t proxy_get_property_dotted(const char *dotted, char **return_value,
                                                       size_t *return_size) {
  size_t size = strlen(dotted);
  *return_value = NULL;
  *return_size = 0;
  char *path = proxy_property_path(dotted, size);
  if (path == NULL) {
    return PROXY_INTERNAL_FAILURE;
  }
  proxy_status_t status = proxy_get_property(path, size, return_value, return_size);
  free(path);
  if (status != PROXY_OK) {
    free(*return_value);
    *return_value = NULL;
    *return_size = 0;
  }
  return status;
}

/*
 * Serializes n header pairs (names[i], values[i], NUL-terminated strings) in the ABI's map format.
 * Returns a malloc'd buffer (free it) and its size in *return_size, or NULL when out of memory.
 */
static inline char *proxy_serialize_pairs(const char *const *names, const char *const *values,
                                          uint32_t n, size_t *return_size) {
  size_t size = 4 + 8 * (size_t)n;
  for (uint32_t i = 0; i < n; i++) {
    size += strlen(names[i]) + 1 + strlen(values[i]) + 1;
  }
  char *out = malloc(size);
  if (out == NULL) {
    return NULL;
  }
  /* wasm32 is little-endian, as the format requires. */
  memcpy(out, &n, 4);
  char *data = out + 4 + 8 * (size_t)n;
  for (uint32_t i = 0; i < n; i++) {
    uint32_t key_size = (uint32_t)strlen(names[i]);
    uint32_t value_size = (uint32_t)strlen(values[i]);
    memcpy(out + 4 + 8 * i, &key_size, 4);
    memcpy(out + 8 + 8 * i, &value_size, 4);
    memcpy(data, names[i], key_size + 1);
    data += key_size + 1;
    memcpy(data, values[i], value_size + 1);
    data += value_size + 1;
  }
  *return_size = size;
  return out;
}

/* The host allocates the data it returns to us through this export. */
PROXY_EXPORT(proxy_on_memory_allocate) void *proxy_on_memory_allocate(size_t size) {
  return malloc(size);
}

/* Marker export: this module speaks Proxy-Wasm ABI 0.2.1. Never called. */
PROXY_EXPORT(proxy_abi_version_0_2_1) void proxy_abi_version_0_2_1(void) {}

#endif /* WASM_GATEWAY_PROXY_WASM_H */
