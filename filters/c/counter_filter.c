/*
 * counter_filter: counts every request in shared data, exactly, across all VM instances.
 *
 * Configuration: "key <name>" (default: counter). The value is the count as decimal text. Each request
 * reads it with its cas and writes count + 1 with that cas, retrying on CAS_MISMATCH, then adds request
 * header "x-counter: <new count>". A missing key counts as 0 and is created with cas 0: two requests
 * racing to create it could both succeed, so create the key first (or accept one lost count) when the
 * count must be exact from the very first request.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "directives.h"
#include "proxy_wasm.h"

static char key[256] = "counter";

PROXY_EXPORT(proxy_on_configure)
uint32_t proxy_on_configure(uint32_t root_context_id, uint32_t configuration_size) {
  (void)root_context_id;
  const setting_t settings[] = {{"key", key, sizeof key}};
  int ok = directive_configure("counter_filter", configuration_size, settings, 1);
  return ok ? 1 : 0;
}

/* Adds one to the counter; returns the new count, or -1 if the store refused. */
static long long increment(void) {
  for (;;) {
    char *value = NULL;
    size_t size = 0;
    uint32_t cas = 0;
    long long count = 0;
    proxy_status_t got = proxy_get_shared_data(key, strlen(key), &value, &size, &cas);
    if (got == PROXY_OK) {
      char digits[24] = {0};
      memcpy(digits, value, size < sizeof digits - 1 ? size : sizeof digits - 1);
      count = strtoll(digits, NULL, 10);
    } else if (got != PROXY_NOT_FOUND) {
      return -1;
    }
    free(value);
    char next[24];
    int length = snprintf(next, sizeof next, "%lld", count + 1);
    proxy_status_t set = proxy_set_shared_data(key, strlen(key), next, (size_t)length, cas);
    if (set == PROXY_OK) {
      return count + 1;
    }
    if (set != PROXY_CAS_MISMATCH) {
      return -1;
    }
  }
}

PROXY_EXPORT(proxy_on_request_headers)
uint32_t proxy_on_request_headers(uint32_t context_id, uint32_t headers, uint32_t end_of_stream) {
  (void)context_id;
  (void)headers;
  (void)end_of_stream;
  char text[24];
  int length = snprintf(text, sizeof text, "%lld", increment());
  proxy_header_replace(PROXY_MAP_HTTP_REQUEST_HEADERS, "x-counter", text, (size_t)length);
  return PROXY_ACTION_CONTINUE;
}
