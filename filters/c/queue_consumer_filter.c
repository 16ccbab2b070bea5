/*
 * queue_consumer_filter: registers a queue and consumes it when woken.
 *
 * Configuration: "queue <name>" (default: events) and "key <name>" (default: consumed). On configure
 * it registers the queue under its own vm_id. proxy_on_queue_ready dequeues every message and stores
 * "<messages consumed so far> <last message>" in shared data under <key>. Requests get
 * "x-consumed: <that text>" ("none" before the first message).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "directives.h"
#include "proxy_wasm.h"

static char queue[128] = "events";
static char key[128] = "consumed";
static long long consumed = 0;

PROXY_EXPORT(proxy_on_configure)
uint32_t proxy_on_configure(uint32_t root_context_id, uint32_t configuration_size) {
  (void)root_context_id;
  const setting_t settings[] = {{"queue", queue, sizeof queue}, {"key", key, sizeof key}};
  int ok = directive_configure("queue_consumer_filter", configuration_size, settings, 2);
  uint32_t id = 0;
  return ok && proxy_register_shared_queue(queue, strlen(queue), &id) == PROXY_OK ? 1 : 0;
}

PROXY_EXPORT(proxy_on_queue_ready)
void proxy_on_queue_ready(uint32_t root_context_id, uint32_t queue_id) {
  (void)root_context_id;
  char *message = NULL;
  size_t size = 0;
  char *last = NULL;
  size_t last_size = 0;
  while (proxy_dequeue_shared_queue(queue_id, &message, &size) == PROXY_OK) {
    consumed++;
    free(last);
    last = message;
    last_size = size;
    message = NULL;
  }
  free(message);
  if (last != NULL) {
    char text[600];
    int length = snprintf(text, sizeof text, "%lld %.*s", consumed, (int)(last_size > 500 ? 500 : last_size),
                          last);
    proxy_set_shared_data(key, strlen(key), text, (size_t)length, 0);
    free(last);
  }
}

PROXY_EXPORT(proxy_on_request_headers)
uint32_t proxy_on_request_headers(uint32_t context_id, uint32_t headers, uint32_t end_of_stream) {
  (void)context_id;
  (void)headers;
  (void)end_of_stream;
  char *value = NULL;
  size_t size = 0;
  uint32_t cas = 0;
  if (proxy_get_shared_data(key, strlen(key), &value, &size, &cas) == PROXY_OK) {
    proxy_header_replace(PROXY_MAP_HTTP_REQUEST_HEADERS, "x-consumed", value, size);
  } else {
    proxy_header_replace(PROXY_MAP_HTTP_REQUEST_HEADERS, "x-consumed", "none", 4);
  }
  free(value);
  return PROXY_ACTION_CONTINUE;
}
