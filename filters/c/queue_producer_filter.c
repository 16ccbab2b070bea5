/*
 * queue_producer_filter: hands every request's path to a queue that another module consumes.
 *
 * Configuration: "vm-id <id>" (the consumer's vm_id, default: consumer) and "queue <name>" (default:
 * events). On request headers it resolves the queue and enqueues the request's :path, then adds request
 * header "x-queue: sent", or "x-queue: missing" when no module registered that queue.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "directives.h"
#include "proxy_wasm.h"

static char vm_id[128] = "consumer";
static char queue[128] = "events";

PROXY_EXPORT(proxy_on_configure)
uint32_t proxy_on_configure(uint32_t root_context_id, uint32_t configuration_size) {
  (void)root_context_id;
  const setting_t settings[] = {{"vm-id", vm_id, sizeof vm_id}, {"queue", queue, sizeof queue}};
  int ok = directive_configure("queue_producer_filter", configuration_size, settings, 2);
  return ok ? 1 : 0;
}

PROXY_EXPORT(proxy_on_request_headers)
uint32_t proxy_on_request_headers(uint32_t context_id, uint32_t headers, uint32_t end_of_stream) {
  (void)context_id;
  (void)headers;
  (void)end_of_stream;
  uint32_t id = 0;
  const char *outcome = "missing";
  if (proxy_resolve_shared_queue(vm_id, strlen(vm_id), queue, strlen(queue), &id) == PROXY_OK) {
    char *path = NULL;
    size_t path_size = 0;
    proxy_header_get(PROXY_MAP_HTTP_REQUEST_HEADERS, ":path", &path, &path_size);
    outcome = proxy_enqueue_shared_queue(id, path, path_size) == PROXY_OK ? "sent" : "full";
    free(path);
  }
  proxy_header_replace(PROXY_MAP_HTTP_REQUEST_HEADERS, "x-queue", outcome, strlen(outcome));
  return PROXY_ACTION_CONTINUE;
}
