/*
 * proxy_redis.h - Higress's Redis extension of the Proxy-Wasm ABI, as our C filters use it.
 *
 * A root context names a Redis cluster once with proxy_redis_init (credentials, timeout); then any of its
 * contexts sends commands with proxy_redis_call (the query is one RESP array of bulk strings) and gets the
 * answer through proxy_on_redis_call_response(root_context_id, callout_id, status, response_size) on the
 * root context: status 0 means Redis answered, and the raw RESP reply is buffer 9 during that callback;
 * any other status means Redis could not be reached in time. Modules using it export Higress's ABI marker.
 */
#ifndef WASM_GATEWAY_PROXY_REDIS_H
#define WASM_GATEWAY_PROXY_REDIS_H

#include <stdio.h>

#include "proxy_wasm.h"

#define PROXY_BUFFER_REDIS_CALL_RESPONSE ((proxy_buffer_type_t)9)

PROXY_IMPORT(proxy_redis_init)
proxy_status_t proxy_redis_init(const char *cluster, size_t cluster_size, const char *username,
                                size_t username_size, const char *password, size_t password_size,
                                uint32_t timeout_ms);

PROXY_IMPORT(proxy_redis_call)
proxy_status_t proxy_redis_call(const char *cluster, size_t cluster_size, const char *query,
                                size_t query_size, uint32_t *return_callout_id);

PROXY_EXPORT(proxy_abi_version_0_2_100) void proxy_abi_version_0_2_100(void) {}

/*
 * Writes the RESP array of the count strings into out[capacity]; returns its length, or 0 when it does
 * not fit.
 */
static inline size_t proxy_resp_array(char *out, size_t capacity, const char *const *args,
                                      const size_t *sizes, size_t count) {
  int n = snprintf(out, capacity, "*%zu\r\n", count);
  if (n < 0 || (size_t)n >= capacity) {
    return 0;
  }
  size_t length = (size_t)n;
  for (size_t i = 0; i < count; i++) {
    n = snprintf(out + length, capacity - length, "$%zu\r\n", sizes[i]);
    if (n < 0 || (size_t)n >= capacity - length || capacity - length - (size_t)n < sizes[i] + 2) {
      return 0;
    }
    length += (size_t)n;
    memcpy(out + length, args[i], sizes[i]);
    length += sizes[i];
    out[length++] = '\r';
    out[length++] = '\n';
  }
  return length;
}

/* Reads the RESP integer ":<n>\r\n" at text[*pos]; returns 1 and advances *pos, or 0. */
static inline int proxy_resp_integer(const char *text, size_t size, size_t *pos, long long *value) {
  if (*pos >= size || text[*pos] != ':') {
    return 0;
  }
  size_t i = *pos + 1;
  int negative = i < size && text[i] == '-';
  if (negative) {
    i++;
  }
  long long n = 0;
  size_t digits = 0;
  while (i < size && text[i] >= '0' && text[i] <= '9' && digits < 18) {
    n = n * 10 + (text[i] - '0');
    i++;
    digits++;
  }
  if (digits == 0 || i + 1 >= size || text[i] != '\r' || text[i + 1] != '\n') {
    return 0;
  }
  *value = negative ? -n : n;
  *pos = i + 2;
  return 1;
}

#endif
