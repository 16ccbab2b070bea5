/*
 * redis_rate_limit_filter: a fixed-window rate limiter keyed by a request header, counted in Redis so that
 * every gateway of a cluster shares one count per key (Higress's Redis ABI, ABI marker 0_2_100).
 *
 * Configuration (directives separated by ';' or newlines):
 *   cluster <name>     the Redis cluster (wasm.gateway.redis.<name>)     default: default
 *   header <name>      the header whose value is the key                 default: x-api-key
 *   limit <n>          requests allowed per window and key                default: 5
 *   window <seconds>   the window's length                                default: 60
 *   prefix <text>      the Redis key prefix                               default: ratelimit
 *   timeout <ms>       how long to wait for Redis                         default: 500
 *   failure <mode>     open (let requests through) or closed (503) when Redis does not answer
 *                                                                         default: open
 *   username <name>, password <secret>   Redis credentials (default: the cluster's)
 *
 * Each request is one atomic EVAL on the key "<prefix>:<header value>" ("<prefix>:-" without the header):
 * INCR, and on the window's first request EXPIRE <window>, returning the count and the key's TTL. The window
 * thus starts with a key's first request and is timed by Redis alone (gateways' clocks do not matter). Within
 * the limit the request goes on with "x-ratelimit-remaining: <n>"; over it the filter answers 429
 * "rate limited\n" with "retry-after: <seconds left>" and "x-ratelimit-limit: <limit>". When Redis does not
 * answer, failure open lets the request through with "x-ratelimit-status: unavailable", failure closed answers
 * 503 "rate limiter unavailable\n".
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "directives.h"
#include "proxy_redis.h"
#include "proxy_wasm.h"

static const char SCRIPT[] =
    "local c = redis.call('INCR', KEYS[1]) "
    "local t = redis.call('TTL', KEYS[1]) "
    "if t < 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]) t = tonumber(ARGV[1]) end "
    "return {c, t}";

static char cluster[128] = "default";
static char header[128] = "x-api-key";
static char limit_text[16] = "5";
static char window_text[16] = "60";
static char prefix[128] = "ratelimit";
static char timeout_text[16] = "500";
static char failure[16] = "open";
static char username[128] = "";
static char password[256] = "";
static long long limit = 5;
static int fail_closed = 0;

/* Which request each callout answers: callout id -> context id, in a small table indexed by the id. */
#define PENDING 1024
static uint32_t pending_callout[PENDING];
static uint32_t pending_context[PENDING];

PROXY_EXPORT(proxy_on_configure)
uint32_t proxy_on_configure(uint32_t root_context_id, uint32_t configuration_size) {
  (void)root_context_id;
  const setting_t settings[] = {
      {"cluster", cluster, sizeof cluster},     {"header", header, sizeof header},
      {"limit", limit_text, sizeof limit_text}, {"window", window_text, sizeof window_text},
      {"prefix", prefix, sizeof prefix},        {"timeout", timeout_text, sizeof timeout_text},
      {"failure", failure, sizeof failure},     {"username", username, sizeof username},
      {"password", password, sizeof password},
  };
  if (!directive_configure("redis_rate_limit_filter", configuration_size, settings, 9)) {
    return 0;
  }
  limit = strtoll(limit_text, NULL, 10);
  long long window = strtoll(window_text, NULL, 10);
  long long timeout = strtoll(timeout_text, NULL, 10);
  if (window <= 0 || limit < 0 || timeout <= 0 || (strcmp(failure, "open") && strcmp(failure, "closed"))) {
    proxy_log_string(PROXY_LOG_ERROR, "redis_rate_limit_filter: window and timeout must be positive, "
                                      "limit not negative, failure open or closed");
    return 0;
  }
  fail_closed = strcmp(failure, "closed") == 0;
  if (proxy_redis_init(cluster, strlen(cluster), username, strlen(username), password, strlen(password),
                       (uint32_t)timeout) != PROXY_OK) {
    proxy_log_concat(PROXY_LOG_ERROR, "redis_rate_limit_filter: cannot use Redis cluster '", cluster,
                     strlen(cluster), "'");
    return 0;
  }
  return 1;
}

static void unavailable(void) {
  if (fail_closed) {
    const char *body = "rate limiter unavailable\n";
    proxy_send_local_response(503, "rate_limiter_unavailable", strlen("rate_limiter_unavailable"), body,
                              strlen(body), NULL, 0, PROXY_NO_GRPC_STATUS);
    return;
  }
  proxy_header_replace(PROXY_MAP_HTTP_REQUEST_HEADERS, "x-ratelimit-status", "unavailable", 11);
  proxy_continue_stream(PROXY_STREAM_HTTP_REQUEST);
}

PROXY_EXPORT(proxy_on_request_headers)
uint32_t proxy_on_request_headers(uint32_t context_id, uint32_t headers, uint32_t end_of_stream) {
  (void)headers;
  (void)end_of_stream;
  char *client = NULL;
  size_t client_size = 0;
  int has_client =
      proxy_header_get(PROXY_MAP_HTTP_REQUEST_HEADERS, header, &client, &client_size) == PROXY_OK;
  char key[512];
  int key_size = snprintf(key, sizeof key, "%s:%.*s", prefix, has_client ? (int)client_size : 1,
                          has_client ? client : "-");
  free(client);
  if (key_size < 0 || (size_t)key_size >= sizeof key) {
    key_size = (int)sizeof key - 1;
  }
  const char *args[] = {"EVAL", SCRIPT, "1", key, window_text};
  const size_t sizes[] = {4, sizeof SCRIPT - 1, 1, (size_t)key_size, strlen(window_text)};
  char query[1024];
  size_t query_size = proxy_resp_array(query, sizeof query, args, sizes, 5);
  uint32_t callout = 0;
  if (query_size == 0 || proxy_redis_call(cluster, strlen(cluster), query, query_size, &callout) != PROXY_OK) {
    proxy_log_string(PROXY_LOG_WARN, "redis_rate_limit_filter: the Redis call could not start");
    if (fail_closed) {
      unavailable();
      return PROXY_ACTION_PAUSE;
    }
    proxy_header_replace(PROXY_MAP_HTTP_REQUEST_HEADERS, "x-ratelimit-status", "unavailable", 11);
    return PROXY_ACTION_CONTINUE;
  }
  pending_callout[callout % PENDING] = callout;
  pending_context[callout % PENDING] = context_id;
  return PROXY_ACTION_PAUSE;
}

PROXY_EXPORT(proxy_on_redis_call_response)
void proxy_on_redis_call_response(uint32_t root_context_id, uint32_t callout, uint32_t status,
                                  uint32_t response_size) {
  (void)root_context_id;
  if (pending_callout[callout % PENDING] != callout) {
    return; /* not ours, or overwritten: its request is long gone */
  }
  pending_callout[callout % PENDING] = 0;
  if (proxy_set_effective_context(pending_context[callout % PENDING]) != PROXY_OK) {
    return;
  }
  if (status != 0) {
    proxy_log_string(PROXY_LOG_WARN, "redis_rate_limit_filter: Redis did not answer");
    unavailable();
    return;
  }
  char *reply = NULL;
  size_t reply_size = 0;
  long long count = 0, ttl = 0;
  size_t pos = 4;
  int ok = proxy_get_buffer_bytes(PROXY_BUFFER_REDIS_CALL_RESPONSE, 0, response_size, &reply, &reply_size) ==
               PROXY_OK &&
           reply_size > 4 && memcmp(reply, "*2\r\n", 4) == 0 &&
           proxy_resp_integer(reply, reply_size, &pos, &count) &&
           proxy_resp_integer(reply, reply_size, &pos, &ttl);
  if (!ok) {
    proxy_log_concat(PROXY_LOG_WARN, "redis_rate_limit_filter: unexpected Redis reply '", reply,
                     reply == NULL ? 0 : (reply_size > 200 ? 200 : reply_size), "'");
    free(reply);
    unavailable();
    return;
  }
  free(reply);
  if (count > limit) {
    char retry_after[24], limit_value[24];
    snprintf(retry_after, sizeof retry_after, "%lld", ttl > 0 ? ttl : 1);
    snprintf(limit_value, sizeof limit_value, "%lld", limit);
    const char *names[] = {"retry-after", "x-ratelimit-limit"};
    const char *values[] = {retry_after, limit_value};
    size_t pairs_size = 0;
    char *pairs = proxy_serialize_pairs(names, values, 2, &pairs_size);
    const char *body = "rate limited\n";
    proxy_send_local_response(429, "rate_limited", strlen("rate_limited"), body, strlen(body), pairs,
                              pairs_size, PROXY_NO_GRPC_STATUS);
    free(pairs);
    return;
  }
  char remaining[24];
  int length = snprintf(remaining, sizeof remaining, "%lld", limit - count);
  proxy_header_replace(PROXY_MAP_HTTP_REQUEST_HEADERS, "x-ratelimit-remaining", remaining, (size_t)length);
  proxy_continue_stream(PROXY_STREAM_HTTP_REQUEST);
}
