/*
 * grpc_auth_filter: authorises every request with a unary gRPC call, ext_authz style:
 * envoy.service.auth.v3.Authorization/Check, whose messages it writes and reads itself.
 *
 * Configuration (directives separated by ';' or newlines):
 *   cluster <name>        the gRPC cluster to call                      default: ext-authz
 *   timeout <ms>          the call's timeout in milliseconds             default: 1000
 *
 * On request headers it sends a CheckRequest (attributes.request.http: method, path, host and the
 * authorization header) with metadata "x-wasm-filter: grpc_auth_filter", and pauses the request.
 * The CheckResponse decides: status.code 0 adds the ok_response headers and "x-ext-authz: allowed"
 * to the request and resumes it; any other code answers the client with denied_response's status
 * (403 when it has none) and body, plus header "x-ext-authz: denied". A call that fails (deadline,
 * unavailable server, an error status) answers 503 "authorization unavailable: <grpc status>
 * <message>\n" with header "x-grpc-status: <code>"; a call the host refuses answers 500
 * "grpc call failed: <status>\n". Messages: envoy/service/auth/v3/external_auth.proto,
 * attribute_context.proto, google/rpc/status.proto.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proxy_wasm.h"
#include "proxy_wasm_helpers.h"
#include "directives.h"
#include "protobuf.h"

static char cluster[128] = "ext-authz";
static char timeout_text[16] = "1000";
static uint32_t timeout_ms = 1000;

static const char SERVICE[] = "envoy.service.auth.v3.Authorization";
static const char METHOD[] = "Check";

static proxy_call_table_t calls;

static void respond(uint32_t status, const char *body, size_t body_size, const char *name,
                    const char *value) {
  proxy_respond_with_header("grpc_auth_filter", status, body, body_size, name, value);
}

/* A request header as a NUL-terminated string ("" when absent); the caller frees it. */
static char *request_header(const char *name) {
  char *value = NULL;
  size_t size = 0;
  if (proxy_header_get(PROXY_MAP_HTTP_REQUEST_HEADERS, name, &value, &size) != PROXY_OK) {
    size = 0;
  }
  char *text = malloc(size + 1);
  if (size > 0) {
    memcpy(text, value, size);
  }
  text[size] = '\0';
  free(value);
  return text;
}

/* CheckRequest{attributes: AttributeContext{request: Request{http: HttpRequest{...}}}} */
static pb_out_t check_request(void) {
  char *method = request_header(":method");
  char *path = request_header(":path");
  char *host = request_header(":authority");
  char *authorization = request_header("authorization");
  pb_out_t http = {0};
  pb_string(&http, 2, method); /* HttpRequest.method */
  if (authorization[0] != '\0') {
    pb_out_t entry = {0}; /* HttpRequest.headers: map<string, string> */
    pb_string(&entry, 1, "authorization");
    pb_string(&entry, 2, authorization);
    pb_message(&http, 3, &entry);
  }
  pb_string(&http, 4, path); /* HttpRequest.path */
  pb_string(&http, 5, host); /* HttpRequest.host */
  free(method);
  free(path);
  free(host);
  free(authorization);
  pb_out_t request = {0};
  pb_message(&request, 2, &http); /* AttributeContext.Request.http */
  pb_out_t attributes = {0};
  pb_message(&attributes, 4, &request); /* AttributeContext.request */
  pb_out_t check = {0};
  pb_message(&check, 1, &attributes); /* CheckRequest.attributes */
  return check;
}

PROXY_EXPORT(proxy_on_configure)
uint32_t proxy_on_configure(uint32_t root_context_id, uint32_t configuration_size) {
  (void)root_context_id;
  const setting_t settings[] = {
      {"cluster", cluster, sizeof cluster},
      {"timeout", timeout_text, sizeof timeout_text},
  };
  if (!directive_configure("grpc_auth_filter", configuration_size, settings, 2)) {
    return 0;
  }
  timeout_ms = (uint32_t)strtoul(timeout_text, NULL, 10);
  return 1;
}

PROXY_EXPORT(proxy_on_request_headers)
uint32_t proxy_on_request_headers(uint32_t context_id, uint32_t headers, uint32_t end_of_stream) {
  (void)headers;
  (void)end_of_stream;
  pb_out_t message = check_request();
  const char *names[] = {"x-wasm-filter"};
  const char *values[] = {"grpc_auth_filter"};
  size_t metadata_size = 0;
  char *metadata = proxy_serialize_pairs(names, values, 1, &metadata_size);
  uint32_t token = 0;
  proxy_status_t status = proxy_grpc_call(cluster, strlen(cluster), SERVICE, strlen(SERVICE), METHOD,
                                          strlen(METHOD), metadata, metadata_size, message.data,
                                          message.size, timeout_ms, &token);
  free(metadata);
  free(message.data);
  if (status != PROXY_OK || !proxy_calls_remember(&calls, token, context_id)) {
    char body[64];
    snprintf(body, sizeof body, "grpc call failed: %d\n", (int)status);
    respond(500, body, strlen(body), NULL, NULL);
  }
  return PROXY_ACTION_PAUSE;
}

/* Adds OkHttpResponse.headers (repeated HeaderValueOption{header: HeaderValue{key, value}}). */
static void add_ok_headers(const char *data, size_t size) {
  pb_in_t ok = pb_reader(data, size);
  while (pb_next(&ok)) {
    if (ok.field != 2 || ok.wire_type != 2) {
      pb_skip(&ok);
      continue;
    }
    size_t option_size;
    const char *option_data = pb_read_bytes(&ok, &option_size);
    pb_in_t option = pb_reader(option_data, option_size);
    while (pb_next(&option)) {
      if (option.field != 1 || option.wire_type != 2) {
        pb_skip(&option);
        continue;
      }
      size_t header_size;
      const char *header_data = pb_read_bytes(&option, &header_size);
      pb_in_t header = pb_reader(header_data, header_size);
      char key[128] = "";
      const char *value = "";
      size_t value_size = 0;
      while (pb_next(&header)) {
        size_t size;
        const char *bytes;
        if (header.wire_type == 2 && (header.field == 1 || header.field == 2)) {
          bytes = pb_read_bytes(&header, &size);
          if (header.field == 1 && size < sizeof key) {
            memcpy(key, bytes, size);
            key[size] = '\0';
          } else if (header.field == 2) {
            value = bytes;
            value_size = size;
          }
        } else {
          pb_skip(&header);
        }
      }
      if (key[0] != '\0') {
        proxy_header_add(PROXY_MAP_HTTP_REQUEST_HEADERS, key, value, value_size);
      }
    }
  }
}

PROXY_EXPORT(proxy_on_grpc_receive)
void proxy_on_grpc_receive(uint32_t root_context_id, uint32_t token, uint32_t message_size) {
  (void)root_context_id;
  uint32_t context_id = proxy_calls_take(&calls, token);
  if (context_id == 0 || proxy_set_effective_context(context_id) != PROXY_OK) {
    return; /* the request is gone */
  }
  char *message = NULL;
  size_t size = 0;
  if (message_size > 0) {
    proxy_get_buffer_bytes(PROXY_BUFFER_GRPC_RECEIVE, 0, message_size, &message, &size);
  }
  /* CheckResponse: status (1) google.rpc.Status{code (1)}, denied_response (2), ok_response (3) */
  int64_t code = 0;
  uint32_t denied_status = 403;
  const char *denied_body = "";
  size_t denied_body_size = 0;
  pb_in_t response = pb_reader(message, size);
  while (pb_next(&response)) {
    if (response.wire_type != 2) {
      pb_skip(&response);
      continue;
    }
    size_t part_size;
    const char *part = pb_read_bytes(&response, &part_size);
    pb_in_t inner = pb_reader(part, part_size);
    if (response.field == 1) {
      while (pb_next(&inner)) {
        if (inner.field == 1 && inner.wire_type == 0) {
          code = (int64_t)pb_read_varint(&inner);
        } else {
          pb_skip(&inner);
        }
      }
    } else if (response.field == 2) { /* DeniedHttpResponse: status (1) HttpStatus{code (1)}, body (3) */
      while (pb_next(&inner)) {
        if (inner.field == 1 && inner.wire_type == 2) {
          size_t status_size;
          const char *status_data = pb_read_bytes(&inner, &status_size);
          pb_in_t http_status = pb_reader(status_data, status_size);
          while (pb_next(&http_status)) {
            if (http_status.field == 1 && http_status.wire_type == 0) {
              denied_status = (uint32_t)pb_read_varint(&http_status);
            } else {
              pb_skip(&http_status);
            }
          }
        } else if (inner.field == 3 && inner.wire_type == 2) {
          denied_body = pb_read_bytes(&inner, &denied_body_size);
        } else {
          pb_skip(&inner);
        }
      }
    } else if (response.field == 3 && code == 0) {
      add_ok_headers(part, part_size);
    }
  }
  if (response.failed) {
    respond(502, "bad CheckResponse\n", strlen("bad CheckResponse\n"), NULL, NULL);
  } else if (code == 0) {
    proxy_header_add(PROXY_MAP_HTTP_REQUEST_HEADERS, "x-ext-authz", "allowed", 7);
    proxy_continue_stream(PROXY_STREAM_HTTP_REQUEST);
  } else {
    if (denied_status < 200 || denied_status > 599) {
      denied_status = 403;
    }
    respond(denied_status, denied_body, denied_body_size, "x-ext-authz", "denied");
  }
  free(message);
}

PROXY_EXPORT(proxy_on_grpc_close)
void proxy_on_grpc_close(uint32_t root_context_id, uint32_t token, uint32_t status_code) {
  (void)root_context_id;
  uint32_t context_id = proxy_calls_take(&calls, token);
  uint32_t code = 0;
  char *message = NULL;
  size_t message_size = 0;
  proxy_get_status(&code, &message, &message_size);
  if (context_id == 0 || proxy_set_effective_context(context_id) != PROXY_OK) {
    free(message);
    return;
  }
  char body[512];
  int length = snprintf(body, sizeof body, "authorization unavailable: %u %.*s\n", status_code,
                        (int)(message_size > 400 ? 400 : message_size), message ? message : "");
  char code_text[16];
  snprintf(code_text, sizeof code_text, "%u", code);
  respond(503, body, (size_t)length, "x-grpc-status", code_text);
  free(message);
}

PROXY_EXPORT(proxy_on_done)
uint32_t proxy_on_done(uint32_t context_id) {
  proxy_calls_forget_context(&calls, context_id);
  return 1;
}
