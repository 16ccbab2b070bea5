/*
 * metrics_filter: the filter's own metrics, which the gateway publishes through Micrometer.
 *
 * Configuration: "prefix <text>" (default: demo). Metrics (Envoy-style dotted names; the gateway names
 * them wasm.filter.<name>, tagged with the module):
 *   <prefix>.requests.method.<METHOD>   counter, one per request method, defined on first use
 *   <prefix>.request_body_bytes         histogram of the requests' content-length (0 when absent)
 *   <prefix>.last_status                gauge, the last response status
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "directives.h"
#include "proxy_wasm.h"

static char prefix[64] = "demo";

/* Defines (or finds: the host returns the same id for the same name) the metric "<prefix>.<suffix>". */
static uint32_t metric(proxy_metric_type_t type, const char *suffix, size_t suffix_size) {
  char name[256];
  int length = snprintf(name, sizeof name, "%s.%.*s", prefix, (int)suffix_size, suffix);
  uint32_t id = 0;
  proxy_define_metric(type, name, (size_t)length, &id);
  return id;
}

PROXY_EXPORT(proxy_on_configure)
uint32_t proxy_on_configure(uint32_t root_context_id, uint32_t configuration_size) {
  (void)root_context_id;
  const setting_t settings[] = {{"prefix", prefix, sizeof prefix}};
  int ok = directive_configure("metrics_filter", configuration_size, settings, 1);
  return ok ? 1 : 0;
}

PROXY_EXPORT(proxy_on_request_headers)
uint32_t proxy_on_request_headers(uint32_t context_id, uint32_t headers, uint32_t end_of_stream) {
  (void)context_id;
  (void)headers;
  (void)end_of_stream;
  char *method = NULL;
  size_t method_size = 0;
  if (proxy_header_get(PROXY_MAP_HTTP_REQUEST_HEADERS, ":method", &method, &method_size) == PROXY_OK) {
    char suffix[128];
    int length = snprintf(suffix, sizeof suffix, "requests.method.%.*s", (int)method_size, method);
    proxy_increment_metric(metric(PROXY_METRIC_COUNTER, suffix, (size_t)length), 1);
  }
  free(method);

  char *content_length = NULL;
  size_t content_length_size = 0;
  uint64_t body_bytes = 0;
  if (proxy_header_get(PROXY_MAP_HTTP_REQUEST_HEADERS, "content-length", &content_length,
                       &content_length_size) == PROXY_OK) {
    char digits[24] = {0};
    memcpy(digits, content_length, content_length_size < 23 ? content_length_size : 23);
    body_bytes = strtoull(digits, NULL, 10);
  }
  free(content_length);
  proxy_record_metric(metric(PROXY_METRIC_HISTOGRAM, "request_body_bytes", 18), body_bytes);
  return PROXY_ACTION_CONTINUE;
}

PROXY_EXPORT(proxy_on_response_headers)
uint32_t proxy_on_response_headers(uint32_t context_id, uint32_t headers, uint32_t end_of_stream) {
  (void)context_id;
  (void)headers;
  (void)end_of_stream;
  char *status = NULL;
  size_t status_size = 0;
  if (proxy_header_get(PROXY_MAP_HTTP_RESPONSE_HEADERS, ":status", &status, &status_size) == PROXY_OK) {
    char digits[8] = {0};
    memcpy(digits, status, status_size < 7 ? status_size : 7);
    proxy_record_metric(metric(PROXY_METRIC_GAUGE, "last_status", 11), strtoull(digits, NULL, 10));
  }
  free(status);
  return PROXY_ACTION_CONTINUE;
}
