/*
 * rate_limit_filter: a fixed-window rate limiter keyed by a request header, on shared data.
 *
 * Configuration (directives separated by ';' or newlines):
 *   header <name>     the header whose value is the key        default: x-api-key
 *   limit <n>         requests allowed per window and key       default: 5
 *   window <seconds>  the window's length                       default: 60
 *   prefix <text>     the shared-data key prefix                default: ratelimit
 *
 * The count of a key lives in shared data under "<prefix>:<header value>" ("<prefix>:-" without the
 * header) as the text "<window start in seconds since the epoch> <count>", updated with a CAS retry
 * loop. Within the limit the request gets "x-ratelimit-remaining: <n>"; over it the filter answers 429
 * "rate limited\n" with "retry-after: <seconds left in the window>" and "x-ratelimit-limit: <limit>".
 * An operator resets a key by deleting it (or writing "0 0") through /actuator/wasm/shared-data.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "directives.h"
#include "proxy_wasm.h"

static char header[128] = "x-api-key";
static char limit_text[16] = "5";
static char window_text[16] = "60";
static char prefix[128] = "ratelimit";
static long long limit = 5;
static long long window = 60;

PROXY_EXPORT(proxy_on_configure)
uint32_t proxy_on_configure(uint32_t root_context_id, uint32_t configuration_size) {
  (void)root_context_id;
  const setting_t settings[] = {
      {"header", header, sizeof header},
      {"limit", limit_text, sizeof limit_text},
      {"window", window_text, sizeof window_text},
      {"prefix", prefix, sizeof prefix},
  };
  int ok = directive_configure("rate_limit_filter", configuration_size, settings, 4);
  limit = strtoll(limit_text, NULL, 10);
  window = strtoll(window_text, NULL, 10);
  return ok && window > 0 ? 1 : 0;
}

/*
 * Counts this request in the window of now_s; returns its count in that window (1 for the first),
 * or -1 if the store refused. *window_start gets the window's start.
 */
static long long count_request(const char *key, long long now_s, long long *window_start) {
  for (int attempt = 0; attempt < 64; attempt++) {
    char *value = NULL;
    size_t size = 0;
    uint32_t cas = 0;
    long long start = 0, count = 0;
    proxy_status_t got = proxy_get_shared_data(key, strlen(key), &value, &size, &cas);
    if (got == PROXY_OK) {
      char text[48] = {0};
      memcpy(text, value, size < sizeof text - 1 ? size : sizeof text - 1);
      sscanf(text, "%lld %lld", &start, &count);
    } else if (got != PROXY_NOT_FOUND) {
      return -1;
    }
    free(value);
    if (now_s - start >= window) {
      start = now_s - now_s % window;
      count = 0;
    }
    char next[48];
    int length = snprintf(next, sizeof next, "%lld %lld", start, count + 1);
    proxy_status_t set = proxy_set_shared_data(key, strlen(key), next, (size_t)length, cas);
    if (set == PROXY_OK) {
      *window_start = start;
      return count + 1;
    }
    if (set != PROXY_CAS_MISMATCH) {
      return -1;
    }
  }
  return -1;
}

PROXY_EXPORT(proxy_on_request_headers)
uint32_t proxy_on_request_headers(uint32_t context_id, uint32_t headers, uint32_t end_of_stream) {
  (void)context_id;
  (void)headers;
  (void)end_of_stream;
  char *client = NULL;
  size_t client_size = 0;
  int has_client =
      proxy_header_get(PROXY_MAP_HTTP_REQUEST_HEADERS, header, &client, &client_size) == PROXY_OK;
  char key[512];
  snprintf(key, sizeof key, "%s:%.*s", prefix, has_client ? (int)client_size : 1,
           has_client ? client : "-");
  free(client);

  uint64_t now_ns = 0;
  proxy_get_current_time_nanoseconds(&now_ns);
  long long now_s = (long long)(now_ns / 1000000000ULL);
  long long window_start = now_s;
  long long count = count_request(key, now_s, &window_start);
  if (count < 0) {
    proxy_log_string(PROXY_LOG_WARN, "rate_limit_filter: the shared data store refused the count");
    return PROXY_ACTION_CONTINUE; /* fail open: the store is full or broken */
  }
  if (count > limit) {
    char retry_after[24], limit_value[24];
    snprintf(retry_after, sizeof retry_after, "%lld", window_start + window - now_s);
    snprintf(limit_value, sizeof limit_value, "%lld", limit);
    const char *names[] = {"retry-after", "x-ratelimit-limit"};
    const char *values[] = {retry_after, limit_value};
    size_t pairs_size = 0;
    char *pairs = proxy_serialize_pairs(names, values, 2, &pairs_size);
    const char *body = "rate limited\n";
    proxy_send_local_response(429, "rate_limited", strlen("rate_limited"), body, strlen(body), pairs,
                              pairs_size, PROXY_NO_GRPC_STATUS);
    free(pairs);
    return PROXY_ACTION_PAUSE;
  }
  char remaining[24];
  int length = snprintf(remaining, sizeof remaining, "%lld", limit - count);
  proxy_header_replace(PROXY_MAP_HTTP_REQUEST_HEADERS, "x-ratelimit-remaining", remaining,
                       (size_t)length);
  return PROXY_ACTION_CONTINUE;
}
