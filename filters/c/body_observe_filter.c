/*
 * body_observe_filter - records every body chunk it is shown, without holding or changing any.
 *
 * No configuration. Every proxy_on_request_body / proxy_on_response_body call is logged at debug
 * level ("request body chunk: size=<n> end_of_stream=<0|1>") and summarised per direction as
 *   chunks=<calls> bytes=<sum of sizes> eos=<calls with end_of_stream> sizes=<s1>,<s2>,...
 * where a size followed by '*' came with end_of_stream, and the list stops after 16 entries ("...").
 * The request summary goes out in response header "x-request-body" (the request body is over by the
 * time the response headers come); both summaries are logged at info level in proxy_on_log and
 * stored in shared data under "body_observe:last" as "request <summary>; response <summary>".
 * Every callback returns Continue, so nothing is held and bodies of any size stream through.
 */
#include <stdio.h>

#include "proxy_wasm.h"

typedef struct {
  uint32_t chunks;
  uint64_t bytes;
  uint32_t eos;
  char sizes[200];
  size_t sizes_length;
} direction_t;

typedef struct stream {
  uint32_t id;
  direction_t request;
  direction_t response;
  struct stream *next;
} stream_t;

static stream_t *streams;

static stream_t *find(uint32_t id, int create) {
  for (stream_t *s = streams; s != NULL; s = s->next) {
    if (s->id == id) {
      return s;
    }
  }
  if (!create) {
    return NULL;
  }
  stream_t *s = calloc(1, sizeof *s);
  if (s != NULL) {
    s->id = id;
    s->next = streams;
    streams = s;
  }
  return s;
}

static void record(direction_t *d, const char *name, uint32_t size, uint32_t end_of_stream) {
  char line[80];
  int n = snprintf(line, sizeof line, "%s body chunk: size=%u end_of_stream=%u", name, size,
                   end_of_stream);
  proxy_log(PROXY_LOG_DEBUG, line, (size_t)n);
  d->chunks++;
  d->bytes += size;
  d->eos += end_of_stream ? 1 : 0;
  size_t room = sizeof d->sizes - d->sizes_length;
  if (d->chunks <= 16) {
    n = snprintf(d->sizes + d->sizes_length, room, "%s%u%s", d->chunks > 1 ? "," : "", size,
                 end_of_stream ? "*" : "");
  } else if (d->chunks == 17) {
    n = snprintf(d->sizes + d->sizes_length, room, ",...");
  } else {
    n = 0;
  }
  d->sizes_length += (size_t)n < room ? (size_t)n : 0;
}

static int summary(const direction_t *d, char *out, size_t size) {
  return snprintf(out, size, "chunks=%u bytes=%llu eos=%u sizes=%s", d->chunks,
                  (unsigned long long)d->bytes, d->eos, d->sizes);
}

PROXY_EXPORT(proxy_on_request_body)
uint32_t proxy_on_request_body(uint32_t context_id, uint32_t body_size, uint32_t end_of_stream) {
  stream_t *s = find(context_id, 1);
  if (s != NULL) {
    record(&s->request, "request", body_size, end_of_stream);
  }
  return PROXY_ACTION_CONTINUE;
}

PROXY_EXPORT(proxy_on_response_headers)
uint32_t proxy_on_response_headers(uint32_t context_id, uint32_t headers, uint32_t end_of_stream) {
  (void)headers;
  (void)end_of_stream;
  stream_t *s = find(context_id, 1);
  if (s != NULL) {
    char text[320];
    int n = summary(&s->request, text, sizeof text);
    proxy_header_replace(PROXY_MAP_HTTP_RESPONSE_HEADERS, "x-request-body", text, (size_t)n);
  }
  return PROXY_ACTION_CONTINUE;
}

PROXY_EXPORT(proxy_on_response_body)
uint32_t proxy_on_response_body(uint32_t context_id, uint32_t body_size, uint32_t end_of_stream) {
  stream_t *s = find(context_id, 1);
  if (s != NULL) {
    record(&s->response, "response", body_size, end_of_stream);
  }
  return PROXY_ACTION_CONTINUE;
}

PROXY_EXPORT(proxy_on_log)
void proxy_on_log(uint32_t context_id) {
  stream_t *s = find(context_id, 0);
  if (s == NULL) {
    return;
  }
  char request[320], response[320], line[700];
  summary(&s->request, request, sizeof request);
  summary(&s->response, response, sizeof response);
  int n = snprintf(line, sizeof line, "request %s; response %s", request, response);
  proxy_log(PROXY_LOG_INFO, line, (size_t)n);
  static const char key[] = "body_observe:last";
  proxy_set_shared_data(key, sizeof key - 1, line, (size_t)n, 0);
}

PROXY_EXPORT(proxy_on_delete)
void proxy_on_delete(uint32_t context_id) {
  for (stream_t **link = &streams; *link != NULL; link = &(*link)->next) {
    if ((*link)->id == context_id) {
      stream_t *gone = *link;
      *link = gone->next;
      free(gone);
      return;
    }
  }
}
