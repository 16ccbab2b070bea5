/*
 * json_validate_filter - lets a request through only when its body is valid JSON.
 *
 * Configuration: "headers pause" makes proxy_on_request_headers return Pause (default "headers continue"):
 * with a body to come and no outbound call to wait for, the host then shows the filter the body anyway
 * (Envoy's StopIteration), and the result is the same. It holds the request body (returns Pause from proxy_on_request_body until
 * end_of_stream), then checks the whole body with a small JSON parser (RFC 8259 syntax, nesting up to
 * 64 levels). A body that is not valid JSON gets a local 403 with details "invalid_json", body
 * "invalid JSON body\n" and header "x-rejected-by: json_validate_filter": the upstream receives
 * nothing, as the host sends the request on only with the first body bytes the filter lets through.
 * A valid body goes on unchanged, with request header "x-json-valid: <body size>" added in the body
 * callback. Requests without a body are not checked.
 */
#include <stdio.h>

#include "directives.h"
#include "proxy_wasm.h"

static char headers_mode[16] = "continue";

PROXY_EXPORT(proxy_on_configure)
uint32_t proxy_on_configure(uint32_t root_context_id, uint32_t configuration_size) {
  (void)root_context_id;
  const setting_t settings[] = {{"headers", headers_mode, sizeof headers_mode}};
  return directive_configure("json_validate_filter", configuration_size, settings, 1) ? 1 : 0;
}

PROXY_EXPORT(proxy_on_request_headers)
uint32_t proxy_on_request_headers(uint32_t context_id, uint32_t headers, uint32_t end_of_stream) {
  (void)context_id;
  (void)headers;
  (void)end_of_stream;
  return strcmp(headers_mode, "pause") == 0 ? PROXY_ACTION_PAUSE : PROXY_ACTION_CONTINUE;
}

typedef struct {
  const char *p;
  const char *end;
  int depth;
} parser_t;

static int parse_value(parser_t *s);

static void skip_space(parser_t *s) {
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r')) {
    s->p++;
  }
}

static int literal(parser_t *s, const char *word) {
  size_t n = strlen(word);
  if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n) != 0) {
    return 0;
  }
  s->p += n;
  return 1;
}

static int is_digit(char c) {
  return c >= '0' && c <= '9';
}

static int digits(parser_t *s) {
  const char *start = s->p;
  while (s->p < s->end && is_digit(*s->p)) {
    s->p++;
  }
  return s->p > start;
}

static int parse_number(parser_t *s) {
  if (s->p < s->end && *s->p == '-') {
    s->p++;
  }
  if (s->p < s->end && *s->p == '0') {
    s->p++;
  } else if (!digits(s)) {
    return 0;
  }
  if (s->p < s->end && *s->p == '.') {
    s->p++;
    if (!digits(s)) {
      return 0;
    }
  }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
    s->p++;
    if (s->p < s->end && (*s->p == '+' || *s->p == '-')) {
      s->p++;
    }
    if (!digits(s)) {
      return 0;
    }
  }
  return 1;
}

static int is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int parse_string(parser_t *s) {
  s->p++; /* the opening quote */
  while (s->p < s->end) {
    unsigned char c = (unsigned char)*s->p++;
    if (c == '"') {
      return 1;
    }
    if (c < 0x20) {
      return 0;
    }
    if (c == '\\') {
      if (s->p >= s->end) {
        return 0;
      }
      char e = *s->p++;
      if (e == 'u') {
        for (int i = 0; i < 4; i++) {
          if (s->p >= s->end || !is_hex(*s->p++)) {
            return 0;
          }
        }
      } else if (e == '\0' || !strchr("\"\\/bfnrt", e)) {
        return 0;
      }
    }
  }
  return 0;
}

/* Parses "[v, ...]" or "{"k": v, ...}"; close is ']' or '}'. */
static int parse_container(parser_t *s, char close) {
  if (++s->depth > 64) {
    return 0;
  }
  s->p++; /* the opening bracket */
  skip_space(s);
  if (s->p < s->end && *s->p == close) {
    s->p++;
    s->depth--;
    return 1;
  }
  for (;;) {
    skip_space(s);
    if (close == '}') {
      if (s->p >= s->end || *s->p != '"' || !parse_string(s)) {
        return 0;
      }
      skip_space(s);
      if (s->p >= s->end || *s->p++ != ':') {
        return 0;
      }
    }
    if (!parse_value(s)) {
      return 0;
    }
    skip_space(s);
    if (s->p >= s->end) {
      return 0;
    }
    char c = *s->p++;
    if (c == close) {
      s->depth--;
      return 1;
    }
    if (c != ',') {
      return 0;
    }
  }
}

static int parse_value(parser_t *s) {
  skip_space(s);
  if (s->p >= s->end) {
    return 0;
  }
  switch (*s->p) {
  case '{':
    return parse_container(s, '}');
  case '[':
    return parse_container(s, ']');
  case '"':
    return parse_string(s);
  case 't':
    return literal(s, "true");
  case 'f':
    return literal(s, "false");
  case 'n':
    return literal(s, "null");
  default:
    return parse_number(s);
  }
}

static int is_json(const char *data, size_t size) {
  parser_t s = {data, data + size, 0};
  if (!parse_value(&s)) {
    return 0;
  }
  skip_space(&s);
  return s.p == s.end;
}

PROXY_EXPORT(proxy_on_request_body)
uint32_t proxy_on_request_body(uint32_t context_id, uint32_t body_size, uint32_t end_of_stream) {
  (void)context_id;
  if (!end_of_stream) {
    return PROXY_ACTION_PAUSE; /* hold: the next callback sees the whole body so far */
  }
  char *body;
  size_t size = proxy_read_body(PROXY_BUFFER_HTTP_REQUEST_BODY, body_size, &body);
  int valid = is_json(body, size);
  free(body);
  if (!valid) {
    static const char headers[] = "\x01\x00\x00\x00"
                                  "\x0d\x00\x00\x00\x14\x00\x00\x00"
                                  "x-rejected-by\0json_validate_filter\0";
    static const char details[] = "invalid_json";
    static const char message[] = "invalid JSON body\n";
    proxy_send_local_response(403, details, sizeof details - 1, message, sizeof message - 1, headers,
                              sizeof headers - 1, PROXY_NO_GRPC_STATUS);
    return PROXY_ACTION_PAUSE;
  }
  char text[24];
  int length = snprintf(text, sizeof text, "%zu", size);
  proxy_header_replace(PROXY_MAP_HTTP_REQUEST_HEADERS, "x-json-valid", text, (size_t)length);
  return PROXY_ACTION_CONTINUE;
}
