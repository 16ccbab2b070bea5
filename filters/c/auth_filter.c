/*
 * auth_filter: asks an auth service about every request, through an outbound call.
 *
 * Configuration (directives separated by ';' or newlines):
 *   cluster <name>        the upstream (cluster) to call                 default: auth
 *   path <path>           the path of the check                          default: /check
 *   authority <host>      the :authority of the check                    default: auth.local
 *   timeout <ms>          the call's timeout in milliseconds             default: 1000
 *
 * On request headers it calls GET <path> on the cluster, with the request's authorization header, and
 * pauses the request. On the answer: 200 adds request header "x-auth-checked: yes" and resumes the
 * request; any other status answers the client locally with that status and the auth service's body,
 * plus header "x-auth-denied: 1"; a failed call (timeout, refused connection) answers 503
 * "auth service unavailable\n"; a call the host refuses (unknown cluster) answers 500
 * "auth call failed: <status>\n". One configuration per module (the last proxy_on_configure wins).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proxy_wasm.h"
#include "proxy_wasm_helpers.h"
#include "directives.h"

static char cluster[128] = "auth";
static char check_path[512] = "/check";
static char authority[256] = "auth.local";
static uint32_t timeout_ms = 1000;

static proxy_call_table_t calls;

static char timeout_text[16] = "1000";

static int configure(size_t configuration_size) {
  const setting_t settings[] = {
      {"cluster", cluster, sizeof cluster},
      {"path", check_path, sizeof check_path},
      {"authority", authority, sizeof authority},
      {"timeout", timeout_text, sizeof timeout_text},
  };
  if (!directive_configure("auth_filter", configuration_size, settings, 4)) {
    return 0;
  }
  timeout_ms = (uint32_t)strtoul(timeout_text, NULL, 10);
  return 1;
}

static void respond(uint32_t status, const char *body, size_t body_size, int denied) {
  proxy_respond_with_header("auth_filter", status, body, body_size, denied ? "x-auth-denied" : NULL,
                            "1");
}

static void respond_text(uint32_t status, const char *text) {
  respond(status, text, strlen(text), 0);
}

PROXY_EXPORT(proxy_on_configure)
uint32_t proxy_on_configure(uint32_t root_context_id, uint32_t configuration_size) {
  (void)root_context_id;
  int ok = configure(configuration_size);
  return ok ? 1 : 0;
}

PROXY_EXPORT(proxy_on_request_headers)
uint32_t proxy_on_request_headers(uint32_t context_id, uint32_t headers, uint32_t end_of_stream) {
  (void)headers;
  (void)end_of_stream;
  char *authorization = NULL;
  size_t authorization_size = 0;
  int has_authorization = proxy_header_get(PROXY_MAP_HTTP_REQUEST_HEADERS, "authorization",
                                           &authorization, &authorization_size) == PROXY_OK;
  char *authorization_text = NULL;
  if (has_authorization) {
    authorization_text = malloc(authorization_size + 1);
    memcpy(authorization_text, authorization, authorization_size);
    authorization_text[authorization_size] = '\0';
    free(authorization);
  }
  const char *names[] = {":method", ":path", ":authority", "authorization"};
  const char *values[] = {"GET", check_path, authority, authorization_text};
  size_t pairs_size = 0;
  char *pairs = proxy_serialize_pairs(names, values, has_authorization ? 4 : 3, &pairs_size);
  free(authorization_text);

  uint32_t token = 0;
  proxy_status_t status = proxy_http_call(cluster, strlen(cluster), pairs, pairs_size, NULL, 0, NULL,
                                          0, timeout_ms, &token);
  free(pairs);
  if (status != PROXY_OK || !proxy_calls_remember(&calls, token, context_id)) {
    char body[64];
    snprintf(body, sizeof body, "auth call failed: %d\n", (int)status);
    respond_text(500, body);
    return PROXY_ACTION_PAUSE;
  }
  return PROXY_ACTION_PAUSE;
}

PROXY_EXPORT(proxy_on_http_call_response)
void proxy_on_http_call_response(uint32_t root_context_id, uint32_t token, uint32_t header_count,
                                 uint32_t body_size, uint32_t trailer_count) {
  (void)root_context_id;
  (void)trailer_count;
  uint32_t context_id = proxy_calls_take(&calls, token);
  if (context_id == 0 || proxy_set_effective_context(context_id) != PROXY_OK) {
    return; /* the request is gone */
  }
  if (header_count == 0) {
    respond_text(503, "auth service unavailable\n");
    return;
  }
  char *status = NULL;
  size_t status_size = 0;
  proxy_header_get(PROXY_MAP_HTTP_CALL_RESPONSE_HEADERS, ":status", &status, &status_size);
  int allowed = status_size == 3 && memcmp(status, "200", 3) == 0;
  uint32_t code = 0;
  for (size_t i = 0; i < status_size; i++) {
    code = code * 10 + (uint32_t)(status[i] - '0');
  }
  free(status);
  if (allowed) {
    proxy_header_add(PROXY_MAP_HTTP_REQUEST_HEADERS, "x-auth-checked", "yes", 3);
    proxy_continue_stream(PROXY_STREAM_HTTP_REQUEST);
    return;
  }
  char *body = NULL;
  size_t size = 0;
  if (body_size > 0) {
    proxy_get_buffer_bytes(PROXY_BUFFER_HTTP_CALL_RESPONSE_BODY, 0, body_size, &body, &size);
  }
  respond(code >= 100 && code <= 999 ? code : 502, body, size, 1);
  free(body);
}

PROXY_EXPORT(proxy_on_done)
uint32_t proxy_on_done(uint32_t context_id) {
  proxy_calls_forget_context(&calls, context_id);
  return 1;
}
