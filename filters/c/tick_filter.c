/*
 * tick_filter: fetches a value on a timer from its root context and adds it to every request.
 *
 * Configuration (directives separated by ';' or newlines):
 *   cluster <name>      the upstream (cluster) to fetch from      default: config
 *   path <path>         the path to fetch                         default: /value
 *   authority <host>    the :authority of the fetch               default: config.local
 *   period <ms>         the timer's period in milliseconds        default: 200
 *   header <name>       the request header that carries the value default: x-fetched
 *
 * Every period, proxy_on_tick calls GET <path> from the root context; a 200 answer's body (trimmed,
 * at most 255 bytes) becomes the value. Requests get "<header>: <value>", or "<header>: none" before
 * the first answer. One configuration per module (the last proxy_on_configure wins).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proxy_wasm.h"
#include "directives.h"

static char cluster[128] = "config";
static char fetch_path[512] = "/value";
static char authority[256] = "config.local";
static char header[128] = "x-fetched";
static uint32_t period_ms = 200;
static char value[256] = "none";

static char period_text[16] = "200";

static int configure(size_t configuration_size) {
  const setting_t settings[] = {
      {"cluster", cluster, sizeof cluster},
      {"path", fetch_path, sizeof fetch_path},
      {"authority", authority, sizeof authority},
      {"header", header, sizeof header},
      {"period", period_text, sizeof period_text},
  };
  if (!directive_configure("tick_filter", configuration_size, settings, 5)) {
    return 0;
  }
  period_ms = (uint32_t)strtoul(period_text, NULL, 10);
  return 1;
}

PROXY_EXPORT(proxy_on_configure)
uint32_t proxy_on_configure(uint32_t root_context_id, uint32_t configuration_size) {
  (void)root_context_id;
  int ok = configure(configuration_size);
  return ok && proxy_set_tick_period_milliseconds(period_ms) == PROXY_OK ? 1 : 0;
}

PROXY_EXPORT(proxy_on_tick)
void proxy_on_tick(uint32_t root_context_id) {
  (void)root_context_id;
  const char *names[] = {":method", ":path", ":authority"};
  const char *values[] = {"GET", fetch_path, authority};
  size_t pairs_size = 0;
  char *pairs = proxy_serialize_pairs(names, values, 3, &pairs_size);
  uint32_t token = 0;
  if (proxy_http_call(cluster, strlen(cluster), pairs, pairs_size, NULL, 0, NULL, 0, 1000, &token) !=
      PROXY_OK) {
    proxy_log_string(PROXY_LOG_WARN, "tick_filter: the fetch was refused");
  }
  free(pairs);
}

PROXY_EXPORT(proxy_on_http_call_response)
void proxy_on_http_call_response(uint32_t root_context_id, uint32_t token, uint32_t header_count,
                                 uint32_t body_size, uint32_t trailer_count) {
  (void)root_context_id;
  (void)token;
  (void)trailer_count;
  if (header_count == 0) {
    return; /* keep the last value */
  }
  char *status = NULL;
  size_t status_size = 0;
  proxy_header_get(PROXY_MAP_HTTP_CALL_RESPONSE_HEADERS, ":status", &status, &status_size);
  int ok = status_size == 3 && memcmp(status, "200", 3) == 0;
  free(status);
  char *body = NULL;
  size_t size = 0;
  if (!ok || body_size == 0 ||
      proxy_get_buffer_bytes(PROXY_BUFFER_HTTP_CALL_RESPONSE_BODY, 0, body_size, &body, &size) !=
          PROXY_OK) {
    return;
  }
  slice_t trimmed = slice_trim((slice_t){body, size});
  if (trimmed.size > 0 && trimmed.size < sizeof value) {
    memcpy(value, trimmed.data, trimmed.size);
    value[trimmed.size] = '\0';
  }
  free(body);
}

PROXY_EXPORT(proxy_on_request_headers)
uint32_t proxy_on_request_headers(uint32_t context_id, uint32_t headers, uint32_t end_of_stream) {
  (void)context_id;
  (void)headers;
  (void)end_of_stream;
  proxy_header_replace(PROXY_MAP_HTTP_REQUEST_HEADERS, header, value, strlen(value));
  return PROXY_ACTION_CONTINUE;
}

PROXY_EXPORT(proxy_on_done)
uint32_t proxy_on_done(uint32_t context_id) {
  (void)context_id;
  return 1;
}
