/*
 * instance_state_filter: shows what state a filter keeps in its VM instance, to see each isolation mode.
 *
 * No configuration. Globals count, per VM instance, the calls of proxy_on_configure (one per plugin whose
 * root context was configured on the instance) and of proxy_on_request_headers (every filter of every
 * request served there). proxy_on_response_headers adds response headers "x-instance-configured: <n>"
 * and "x-instance-requests: <n>" with the counts at that moment. Under isolation none they grow from
 * request to request; under isolation stream a request's instance is fresh, so they count that request's
 * filters of this module only.
 */
#include <stdio.h>

#include "proxy_wasm.h"
#include "proxy_wasm_helpers.h"

static unsigned long configured = 0;
static unsigned long requests = 0;

static void add_count(const char *name, unsigned long count) {
  char digits[24];
  int size = snprintf(digits, sizeof digits, "%lu", count);
  proxy_header_add(PROXY_MAP_HTTP_RESPONSE_HEADERS, name, digits, (size_t)size);
}

PROXY_STATELESS_CONTEXT_CALLBACKS

PROXY_EXPORT(proxy_on_configure)
uint32_t proxy_on_configure(uint32_t root_context_id, uint32_t configuration_size) {
  (void)root_context_id;
  (void)configuration_size;
  configured++;
  return 1;
}

PROXY_EXPORT(proxy_on_request_headers)
uint32_t proxy_on_request_headers(uint32_t context_id, uint32_t headers, uint32_t end_of_stream) {
  (void)context_id;
  (void)headers;
  (void)end_of_stream;
  requests++;
  return PROXY_ACTION_CONTINUE;
}

PROXY_EXPORT(proxy_on_response_headers)
uint32_t proxy_on_response_headers(uint32_t context_id, uint32_t headers, uint32_t end_of_stream) {
  (void)context_id;
  (void)headers;
  (void)end_of_stream;
  add_count("x-instance-configured", configured);
  add_count("x-instance-requests", requests);
  return PROXY_ACTION_CONTINUE;
}
