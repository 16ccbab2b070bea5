/*
 * deny_list_filter: refuses requests whose key is on a deny list kept in shared data. With shared-data
 * replication (wasm.gateway.shared-data.replication) an operator's entry, put through any gateway's Actuator,
 * reaches every gateway; the filter itself only reads its local copy (no network on the request path).
 *
 * Configuration (directives separated by ';' or newlines):
 *   header <name>    the header whose value is looked up       default: x-api-key
 *   prefix <text>    the shared-data key prefix                 default: denylist:
 *
 * A request whose header value v has a shared-data entry "<prefix><v>" is answered 403 "denied\n" with
 * "x-denied-by: deny_list_filter"; an empty entry does not deny (a way to lift an entry by writing it empty).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "directives.h"
#include "proxy_wasm.h"

static char header[128] = "x-api-key";
static char prefix[128] = "denylist:";

PROXY_EXPORT(proxy_on_configure)
uint32_t proxy_on_configure(uint32_t root_context_id, uint32_t configuration_size) {
  (void)root_context_id;
  const setting_t settings[] = {
      {"header", header, sizeof header},
      {"prefix", prefix, sizeof prefix},
  };
  return directive_configure("deny_list_filter", configuration_size, settings, 2) ? 1 : 0;
}

PROXY_EXPORT(proxy_on_request_headers)
uint32_t proxy_on_request_headers(uint32_t context_id, uint32_t headers, uint32_t end_of_stream) {
  (void)context_id;
  (void)headers;
  (void)end_of_stream;
  char *client = NULL;
  size_t client_size = 0;
  if (proxy_header_get(PROXY_MAP_HTTP_REQUEST_HEADERS, header, &client, &client_size) != PROXY_OK) {
    return PROXY_ACTION_CONTINUE;
  }
  char key[512];
  int key_size = snprintf(key, sizeof key, "%s%.*s", prefix, (int)client_size, client);
  free(client);
  if (key_size < 0 || (size_t)key_size >= sizeof key) {
    return PROXY_ACTION_CONTINUE;
  }
  char *value = NULL;
  size_t value_size = 0;
  uint32_t cas = 0;
  proxy_status_t found = proxy_get_shared_data(key, (size_t)key_size, &value, &value_size, &cas);
  free(value);
  if (found != PROXY_OK || value_size == 0) {
    return PROXY_ACTION_CONTINUE;
  }
  const char *names[] = {"x-denied-by"};
  const char *values[] = {"deny_list_filter"};
  size_t pairs_size = 0;
  char *pairs = proxy_serialize_pairs(names, values, 1, &pairs_size);
  const char *body = "denied\n";
  proxy_send_local_response(403, "denied_by_list", strlen("denied_by_list"), body, strlen(body), pairs,
                            pairs_size, PROXY_NO_GRPC_STATUS);
  free(pairs);
  return PROXY_ACTION_PAUSE;
}
