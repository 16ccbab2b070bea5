/*
 * header_filter - rewrites request and response headers as its plugin configuration says.
 *
 * Configuration: directives separated by newlines or ';' (trimmed, empty ones ignored):
 *
 *   <phase> <op> <name>[: <value>]
 *
 *   phase  request | response
 *   op     add          <name>: <value>   proxy_add_header_map_value (value may be empty)
 *          set          <name>: <value>   proxy_replace_header_map_value (value may be empty)
 *          remove       <name>            proxy_remove_header_map_value
 *          property     <name>: <path>    sets the header to the raw bytes of the property at the
 *                                         dotted path (e.g. request.path); nothing if it is absent
 *          property-int <name>: <path>    the same, but an 8-byte value is rendered as the decimal
 *                                         of a little-endian int64 (e.g. destination.port)
 *
 * Names are lower-cased. A pseudo-header name keeps its leading ':' (request set :path: /x).
 * Example: request add x-wasm-c: yes; request remove x-secret; response set server: wasm-gateway;
 *          request property x-path: request.path; request property-int x-port: destination.port
 *
 * proxy_on_configure logs a malformed directive at error level and returns 0 (the previous rules, if
 * any, stay in force); otherwise it stores the rules, prints "header_filter: <n> rules" to stdout
 * and returns 1. Request rules run in proxy_on_request_headers, response rules in
 * proxy_on_response_headers, in configuration order; both callbacks return Continue.
 */
#include <stdio.h>

#include "directives.h"
#include "proxy_wasm.h"
#include "proxy_wasm_helpers.h"

typedef enum { PHASE_REQUEST, PHASE_RESPONSE } phase_t;
typedef enum { OP_ADD, OP_SET, OP_REMOVE, OP_PROPERTY, OP_PROPERTY_INT } op_t;

typedef struct {
  phase_t phase;
  op_t op;
  char *name; /* lower-cased, NUL-terminated */
  size_t name_size;
  char *arg; /* header value, or property path with segments joined by '\0' */
  size_t arg_size;
} rule_t;

static rule_t *rules = NULL;
static size_t rule_count = 0;

static void free_rules(rule_t *list, size_t count) {
  for (size_t i = 0; i < count; i++) {
    free(list[i].name);
    free(list[i].arg);
  }
  free(list);
}

static char *copy_slice(slice_t s) {
  char *out = malloc(s.size + 1);
  if (out != NULL) {
    memcpy(out, s.data, s.size);
    out[s.size] = '\0';
  }
  return out;
}

/* Parses one directive into *rule; returns NULL on success, else the reason it is malformed. */
static const char *parse_rule(slice_t directive, rule_t *rule) {
  slice_t rest = directive;
  slice_t phase = directive_word(&rest);
  slice_t op = directive_word(&rest);

  if (slice_equals(phase, "request")) {
    rule->phase = PHASE_REQUEST;
  } else if (slice_equals(phase, "response")) {
    rule->phase = PHASE_RESPONSE;
  } else {
    return "phase must be 'request' or 'response'";
  }

  if (slice_equals(op, "add")) {
    rule->op = OP_ADD;
  } else if (slice_equals(op, "set")) {
    rule->op = OP_SET;
  } else if (slice_equals(op, "remove")) {
    rule->op = OP_REMOVE;
  } else if (slice_equals(op, "property")) {
    rule->op = OP_PROPERTY;
  } else if (slice_equals(op, "property-int")) {
    rule->op = OP_PROPERTY_INT;
  } else {
    return "op must be add, set, remove, property or property-int";
  }

  /* <name>[: <value>]; a pseudo-header's leading ':' belongs to the name. */
  size_t colon = rest.size > 0 && rest.data[0] == ':' ? 1 : 0;
  while (colon < rest.size && rest.data[colon] != ':') {
    colon++;
  }
  int has_value = colon < rest.size;
  slice_t name = slice_trim((slice_t){rest.data, colon});
  slice_t value = has_value ? slice_trim((slice_t){rest.data + colon + 1, rest.size - colon - 1})
                            : (slice_t){"", 0};

  if (name.size == 0 || (name.size == 1 && name.data[0] == ':')) {
    return "missing header name";
  }
  for (size_t i = 0; i < name.size; i++) {
    unsigned char c = (unsigned char)name.data[i];
    if (c <= ' ' || c == 0x7f) {
      return "header name contains whitespace or a control character";
    }
  }
  if (rule->op == OP_REMOVE && has_value) {
    return "remove takes no value";
  }
  if (rule->op != OP_REMOVE && !has_value) {
    return "missing ': <value>'";
  }
  if ((rule->op == OP_PROPERTY || rule->op == OP_PROPERTY_INT) && value.size == 0) {
    return "missing property path";
  }

  rule->name = copy_slice(name);
  rule->name_size = name.size;
  if (rule->op == OP_PROPERTY || rule->op == OP_PROPERTY_INT) {
    rule->arg = proxy_property_path(value.data, value.size);
  } else {
    rule->arg = copy_slice(value);
  }
  rule->arg_size = value.size;
  if (rule->name == NULL || rule->arg == NULL) {
    free(rule->name);
    free(rule->arg);
    return "out of memory";
  }
  for (size_t i = 0; i < rule->name_size; i++) {
    if (rule->name[i] >= 'A' && rule->name[i] <= 'Z') {
      rule->name[i] = (char)(rule->name[i] - 'A' + 'a');
    }
  }
  return NULL;
}

/* Parses the whole configuration; on success replaces the stored rules. */
static int configure(const char *text, size_t size) {
  size_t capacity = 0, count = 0, pos = 0;
  rule_t *list = NULL;
  slice_t directive;
  while (directive_next(text, size, &pos, &directive)) {
    if (count == capacity) {
      size_t grown = capacity ? capacity * 2 : 8;
      rule_t *bigger = realloc(list, grown * sizeof(rule_t));
      if (bigger == NULL) {
        free_rules(list, count);
        proxy_log_string(PROXY_LOG_ERROR, "header_filter: out of memory");
        return 0;
      }
      list = bigger;
      capacity = grown;
    }
    const char *error = parse_rule(directive, &list[count]);
    if (error != NULL) {
      proxy_log_concat(PROXY_LOG_ERROR, "header_filter: malformed directive '", directive.data,
                       directive.size, "'");
      proxy_log_concat(PROXY_LOG_ERROR, "header_filter: ", error, strlen(error), "");
      free_rules(list, count);
      return 0;
    }
    count++;
  }
  free_rules(rules, rule_count);
  rules = list;
  rule_count = count;
  printf("header_filter: %zu rules\n", count);
  fflush(stdout);
  return 1;
}

/* Renders v in decimal into out (at least 21 bytes); returns the length. */
static size_t format_int64(int64_t v, char *out) {
  char digits[20];
  size_t n = 0, len = 0;
  uint64_t magnitude = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  do {
    digits[n++] = (char)('0' + magnitude % 10);
    magnitude /= 10;
  } while (magnitude != 0);
  if (v < 0) {
    out[len++] = '-';
  }
  while (n > 0) {
    out[len++] = digits[--n];
  }
  return len;
}

static void apply_property(proxy_map_type_t map, const rule_t *rule) {
  char *value = NULL;
  size_t size = 0;
  proxy_status_t status = proxy_get_property(rule->arg, rule->arg_size, &value, &size);
  if (status != PROXY_OK) {
    free(value);
    return; /* absent property: leave the header alone */
  }
  if (rule->op == OP_PROPERTY_INT && size == 8) {
    int64_t number;
    char text[21];
    memcpy(&number, value, 8); /* wasm32 is little-endian, like the property encoding */
    size_t len = format_int64(number, text);
    proxy_replace_header_map_value(map, rule->name, rule->name_size, text, len);
  } else {
    proxy_replace_header_map_value(map, rule->name, rule->name_size, value, size);
  }
  free(value);
}

static void apply_rules(phase_t phase) {
  proxy_map_type_t map =
      phase == PHASE_REQUEST ? PROXY_MAP_HTTP_REQUEST_HEADERS : PROXY_MAP_HTTP_RESPONSE_HEADERS;
  for (size_t i = 0; i < rule_count; i++) {
    const rule_t *rule = &rules[i];
    if (rule->phase != phase) {
      continue;
    }
    switch (rule->op) {
      case OP_ADD:
        proxy_add_header_map_value(map, rule->name, rule->name_size, rule->arg, rule->arg_size);
        break;
      case OP_SET:
        proxy_replace_header_map_value(map, rule->name, rule->name_size, rule->arg,
                                       rule->arg_size);
        break;
      case OP_REMOVE:
        proxy_remove_header_map_value(map, rule->name, rule->name_size);
        break;
      case OP_PROPERTY:
      case OP_PROPERTY_INT:
        apply_property(map, rule);
        break;
    }
  }
}

/* ---- Callbacks -------------------------------------------------------------------------------- */

PROXY_STATELESS_CONTEXT_CALLBACKS

PROXY_EXPORT(proxy_on_configure)
uint32_t proxy_on_configure(uint32_t root_context_id, uint32_t configuration_size) {
  (void)root_context_id;
  return proxy_configure_from_text("header_filter", configuration_size, configure);
}

PROXY_EXPORT(proxy_on_request_headers)
uint32_t proxy_on_request_headers(uint32_t context_id, uint32_t headers, uint32_t end_of_stream) {
  (void)context_id;
  (void)headers;
  (void)end_of_stream;
  apply_rules(PHASE_REQUEST);
  return PROXY_ACTION_CONTINUE;
}

PROXY_EXPORT(proxy_on_response_headers)
uint32_t proxy_on_response_headers(uint32_t context_id, uint32_t headers, uint32_t end_of_stream) {
  (void)context_id;
  (void)headers;
  (void)end_of_stream;
  apply_rules(PHASE_RESPONSE);
  return PROXY_ACTION_CONTINUE;
}
