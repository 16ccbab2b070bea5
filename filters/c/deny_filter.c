/*
 * deny_filter - answers requests locally instead of forwarding them.
 *
 * Configuration: directives separated by newlines or ';' (trimmed, empty ones ignored), each
 * "<keyword> <argument>"; every keyword may appear any number of times:
 *
 *   path-prefix <prefix>     deny a request whose :path starts with <prefix>
 *   header <name>            deny a request that carries header <name> (any value, even empty)
 *   upstream-status <code>   in the response phase, replace an upstream response whose :status is
 *                            <code> (100-999) with a local 502
 *
 * Example: path-prefix /admin; header x-deny; upstream-status 500
 *
 * A denial is proxy_send_local_response(403, details "denied_by_wasm", body "denied by wasm\n",
 * headers [x-denied-by: deny_filter], grpc_status -1), after which the callback returns Pause, as
 * Envoy filters do after a local reply. A request carrying "x-deny-via-connection: 1" is always
 * denied, and its local response also carries "connection: close": a hop-by-hop header the host must
 * not pass on. A replaced upstream response is a local 502 with details "upstream_failed", body
 * "upstream failed\n" and header x-replaced-by: deny_filter.
 *
 * proxy_on_configure logs a malformed directive at error level and returns 0 (the previous
 * configuration, if any, stays in force).
 */
#include "directives.h"
#include "proxy_wasm.h"
#include "proxy_wasm_helpers.h"

typedef struct {
  char **path_prefixes;
  size_t path_prefix_count;
  char **headers;
  size_t header_count;
  uint32_t *upstream_statuses;
  size_t upstream_status_count;
} config_t;

static config_t config;

static void free_strings(char **list, size_t count) {
  for (size_t i = 0; i < count; i++) {
    free(list[i]);
  }
  free(list);
}

static void free_config(config_t *c) {
  free_strings(c->path_prefixes, c->path_prefix_count);
  free_strings(c->headers, c->header_count);
  free(c->upstream_statuses);
  memset(c, 0, sizeof(*c));
}

/* Appends a NUL-terminated copy of s (lower-cased if asked) to *list; returns 0 when out of memory. */
static int append_string(char ***list, size_t *count, slice_t s, int lower) {
  char **bigger = realloc(*list, (*count + 1) * sizeof(char *));
  if (bigger == NULL) {
    return 0;
  }
  *list = bigger;
  char *copy = malloc(s.size + 1);
  if (copy == NULL) {
    return 0;
  }
  for (size_t i = 0; i < s.size; i++) {
    char ch = s.data[i];
    copy[i] = lower && ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
  }
  copy[s.size] = '\0';
  (*list)[(*count)++] = copy;
  return 1;
}

/* Parses a status code of 3 digits, 100-999; returns 0 if s is not one. */
static uint32_t parse_status(const char *s, size_t size) {
  if (size != 3) {
    return 0;
  }
  uint32_t code = 0;
  for (size_t i = 0; i < size; i++) {
    if (s[i] < '0' || s[i] > '9') {
      return 0;
    }
    code = code * 10 + (uint32_t)(s[i] - '0');
  }
  return code >= 100 ? code : 0;
}

/* Parses one directive into *c; returns NULL on success, else the reason it is malformed. */
static const char *parse_directive(slice_t directive, config_t *c) {
  slice_t rest = directive;
  slice_t keyword = directive_word(&rest);
  slice_t argument = directive_word(&rest);
  if (argument.size == 0) {
    return "missing argument";
  }
  if (rest.size != 0) {
    return "too many arguments";
  }
  if (slice_equals(keyword, "path-prefix")) {
    return append_string(&c->path_prefixes, &c->path_prefix_count, argument, 0) ? NULL
                                                                                : "out of memory";
  }
  if (slice_equals(keyword, "header")) {
    return append_string(&c->headers, &c->header_count, argument, 1) ? NULL : "out of memory";
  }
  if (slice_equals(keyword, "upstream-status")) {
    uint32_t code = parse_status(argument.data, argument.size);
    if (code == 0) {
      return "upstream-status must be a status code from 100 to 999";
    }
    uint32_t *bigger =
        realloc(c->upstream_statuses, (c->upstream_status_count + 1) * sizeof(uint32_t));
    if (bigger == NULL) {
      return "out of memory";
    }
    c->upstream_statuses = bigger;
    c->upstream_statuses[c->upstream_status_count++] = code;
    return NULL;
  }
  return "keyword must be path-prefix, header or upstream-status";
}

static int configure(const char *text, size_t size) {
  config_t parsed = {0};
  size_t pos = 0;
  slice_t directive;
  while (directive_next(text, size, &pos, &directive)) {
    const char *error = parse_directive(directive, &parsed);
    if (error != NULL) {
      proxy_log_concat(PROXY_LOG_ERROR, "deny_filter: malformed directive '", directive.data,
                       directive.size, "'");
      proxy_log_concat(PROXY_LOG_ERROR, "deny_filter: ", error, strlen(error), "");
      free_config(&parsed);
      return 0;
    }
  }
  free_config(&config);
  config = parsed;
  return 1;
}

/* ---- Local responses -------------------------------------------------------------------------- */

static proxy_action_t send_local(uint32_t status, const char *details, const char *body,
                                 const char *const *names, const char *const *values,
                                 uint32_t header_count) {
  size_t headers_size = 0;
  char *headers = proxy_serialize_pairs(names, values, header_count, &headers_size);
  if (headers == NULL) {
    proxy_log_string(PROXY_LOG_ERROR, "deny_filter: out of memory");
    return PROXY_ACTION_CONTINUE;
  }
  proxy_status_t result = proxy_send_local_response(status, details, strlen(details), body,
                                                    strlen(body), headers, headers_size,
                                                    PROXY_NO_GRPC_STATUS);
  free(headers);
  if (result != PROXY_OK) {
    proxy_log_string(PROXY_LOG_ERROR, "deny_filter: proxy_send_local_response failed");
    return PROXY_ACTION_CONTINUE;
  }
  return PROXY_ACTION_PAUSE;
}

static proxy_action_t deny(int close_connection) {
  static const char *const names[] = {"x-denied-by", "connection"};
  static const char *const values[] = {"deny_filter", "close"};
  return send_local(403, "denied_by_wasm", "denied by wasm\n", names, values,
                    close_connection ? 2 : 1);
}

/* ---- Checks ----------------------------------------------------------------------------------- */

static int request_has_header(const char *name) {
  char *value;
  size_t size;
  proxy_status_t status = proxy_header_get(PROXY_MAP_HTTP_REQUEST_HEADERS, name, &value, &size);
  free(value);
  return status == PROXY_OK;
}

static int request_header_equals(const char *name, const char *expected) {
  char *value;
  size_t size;
  if (proxy_header_get(PROXY_MAP_HTTP_REQUEST_HEADERS, name, &value, &size) != PROXY_OK) {
    return 0;
  }
  int equal = size == strlen(expected) && memcmp(value, expected, size) == 0;
  free(value);
  return equal;
}

static int path_is_denied(void) {
  if (config.path_prefix_count == 0) {
    return 0;
  }
  char *path;
  size_t size;
  if (proxy_header_get(PROXY_MAP_HTTP_REQUEST_HEADERS, ":path", &path, &size) != PROXY_OK) {
    return 0;
  }
  int denied = 0;
  for (size_t i = 0; i < config.path_prefix_count && !denied; i++) {
    size_t prefix_size = strlen(config.path_prefixes[i]);
    denied = size >= prefix_size && memcmp(path, config.path_prefixes[i], prefix_size) == 0;
  }
  free(path);
  return denied;
}

/* ---- Callbacks -------------------------------------------------------------------------------- */

PROXY_STATELESS_CONTEXT_CALLBACKS

PROXY_EXPORT(proxy_on_configure)
uint32_t proxy_on_configure(uint32_t root_context_id, uint32_t configuration_size) {
  (void)root_context_id;
  return proxy_configure_from_text("deny_filter", configuration_size, configure);
}

PROXY_EXPORT(proxy_on_request_headers)
uint32_t proxy_on_request_headers(uint32_t context_id, uint32_t headers, uint32_t end_of_stream) {
  (void)context_id;
  (void)headers;
  (void)end_of_stream;
  if (request_header_equals("x-deny-via-connection", "1")) {
    return deny(1);
  }
  if (path_is_denied()) {
    return deny(0);
  }
  for (size_t i = 0; i < config.header_count; i++) {
    if (request_has_header(config.headers[i])) {
      return deny(0);
    }
  }
  return PROXY_ACTION_CONTINUE;
}

PROXY_EXPORT(proxy_on_response_headers)
uint32_t proxy_on_response_headers(uint32_t context_id, uint32_t headers, uint32_t end_of_stream) {
  (void)context_id;
  (void)headers;
  (void)end_of_stream;
  if (config.upstream_status_count == 0) {
    return PROXY_ACTION_CONTINUE;
  }
  char *status_text;
  size_t size;
  if (proxy_header_get(PROXY_MAP_HTTP_RESPONSE_HEADERS, ":status", &status_text, &size) !=
      PROXY_OK) {
    return PROXY_ACTION_CONTINUE;
  }
  uint32_t status = parse_status(status_text, size);
  free(status_text);
  for (size_t i = 0; i < config.upstream_status_count; i++) {
    if (status != 0 && status == config.upstream_statuses[i]) {
      static const char *const names[] = {"x-replaced-by"};
      static const char *const values[] = {"deny_filter"};
      return send_local(502, "upstream_failed", "upstream failed\n", names, values, 1);
    }
  }
  return PROXY_ACTION_CONTINUE;
}
