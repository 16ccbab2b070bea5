/*
 * Helpers several example filters share, on top of proxy_wasm.h: the callbacks a filter without
 * per-context state answers with defaults, reading the plugin configuration, local responses with one
 * header, and the table of outbound calls waiting for their answer.
 */
#ifndef WASM_GATEWAY_PROXY_WASM_HELPERS_H
#define WASM_GATEWAY_PROXY_WASM_HELPERS_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proxy_wasm.h"

/*
 * Defines proxy_on_context_create, proxy_on_vm_start, proxy_on_done, proxy_on_log and
 * proxy_on_delete for a filter that keeps nothing per context: they do nothing and report success.
 * Use it once, at file scope.
 */
#define PROXY_STATELESS_CONTEXT_CALLBACKS                                                           \
  PROXY_EXPORT(proxy_on_context_create)                                                            \
  void proxy_on_context_create(uint32_t context_id, uint32_t parent_context_id) {                  \
    (void)context_id;                                                                              \
    (void)parent_context_id;                                                                       \
  }                                                                                                \
  PROXY_EXPORT(proxy_on_vm_start)                                                                  \
  uint32_t proxy_on_vm_start(uint32_t root_context_id, uint32_t vm_configuration_size) {           \
    (void)root_context_id;                                                                         \
    (void)vm_configuration_size;                                                                   \
    return 1;                                                                                      \
  }                                                                                                \
  PROXY_EXPORT(proxy_on_done)                                                                      \
  uint32_t proxy_on_done(uint32_t context_id) {                                                    \
    (void)context_id;                                                                              \
    return 1;                                                                                      \
  }                                                                                                \
  PROXY_EXPORT(proxy_on_log)                                                                       \
  void proxy_on_log(uint32_t context_id) { (void)context_id; }                                     \
  PROXY_EXPORT(proxy_on_delete)                                                                    \
  void proxy_on_delete(uint32_t context_id) { (void)context_id; }

/*
 * proxy_on_configure's answer for a filter configured by text: reads the plugin configuration and
 * hands it to configure (1 when it took it). A configuration the host does not give is logged at
 * error level as "<filter>: cannot read the plugin configuration". Returns 1 or 0.
 */
static inline uint32_t proxy_configure_from_text(const char *filter, size_t configuration_size,
                                                 int (*configure)(const char *text, size_t size)) {
  size_t size;
  char *text = proxy_read_plugin_configuration(configuration_size, &size);
  if (text == NULL) {
    proxy_log_concat(PROXY_LOG_ERROR, "", filter, strlen(filter),
                     ": cannot read the plugin configuration");
    return 0;
  }
  int ok = configure(text, size);
  free(text);
  return ok ? 1 : 0;
}

/*
 * Answers the request locally with status and body, details <filter>, no gRPC status and one header
 * name: value (none when name is NULL).
 */
static inline void proxy_respond_with_header(const char *filter, uint32_t status, const char *body,
                                             size_t body_size, const char *name,
                                             const char *value) {
  const char *names[] = {name};
  const char *values[] = {value};
  size_t headers_size = 0;
  char *headers = proxy_serialize_pairs(names, values, name ? 1 : 0, &headers_size);
  proxy_send_local_response(status, filter, strlen(filter), body, body_size, headers, headers_size,
                            PROXY_NO_GRPC_STATUS);
  free(headers);
}

/* ---- Outbound calls waiting for their answer ------------------------------------------------- */

#define PROXY_MAX_CALLS 1024

/* Which request context made which call: the answer arrives on the root context. */
typedef struct {
  struct {
    uint32_t token;
    uint32_t context_id;
  } calls[PROXY_MAX_CALLS];
} proxy_call_table_t;

/* Remembers that context_id made call token; 0 when the table is full. */
static inline int proxy_calls_remember(proxy_call_table_t *table, uint32_t token,
                                       uint32_t context_id) {
  for (int i = 0; i < PROXY_MAX_CALLS; i++) {
    if (table->calls[i].token == 0) {
      table->calls[i].token = token;
      table->calls[i].context_id = context_id;
      return 1;
    }
  }
  return 0;
}

/* The context that made call token, which the table forgets; 0 when none did. */
static inline uint32_t proxy_calls_take(proxy_call_table_t *table, uint32_t token) {
  for (int i = 0; i < PROXY_MAX_CALLS; i++) {
    if (table->calls[i].token == token) {
      table->calls[i].token = 0;
      return table->calls[i].context_id;
    }
  }
  return 0;
}

/* Forgets the calls of a context that is done: their answers go nowhere. */
static inline void proxy_calls_forget_context(proxy_call_table_t *table, uint32_t context_id) {
  for (int i = 0; i < PROXY_MAX_CALLS; i++) {
    if (table->calls[i].token != 0 && table->calls[i].context_id == context_id) {
      table->calls[i].token = 0;
    }
  }
}

#endif
