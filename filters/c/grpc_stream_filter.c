/*
 * grpc_stream_filter: opens a gRPC stream for every request, sends messages on it, and answers the
 * request itself with everything the stream brought back.
 *
 * Configuration (directives separated by ';' or newlines):
 *   cluster <name>        the gRPC cluster                               default: streams
 *   service <name>        the gRPC service                               default: test.Streams
 *   method <name>         the gRPC method                                default: Chat
 *   messages <n>          messages to send: "<path>#1" ... "<path>#n"    default: 2
 *   half-close <yes|no>   end the stream after the last message           default: yes
 *
 * On request headers it opens the stream with metadata "x-request-path: <path>", sends the messages
 * (the last one with end_of_stream when half-close is yes) and pauses the request. It remembers the
 * value of "x-initial" in the initial metadata, every message received, and "x-trailer" in the
 * trailing metadata. On proxy_on_grpc_close it closes the stream too (proxy_grpc_close) and answers
 * 200 with body "<message 1>,<message 2>,...\n" and headers
 *   x-grpc-status: <status code>          x-grpc-message: <status message (proxy_get_status)>
 *   x-grpc-initial: <x-initial value>     x-grpc-trailer: <x-trailer value>
 *   x-grpc-callbacks: one letter per callback in order (I initial metadata, M message,
 *                     T trailing metadata, C close)
 *   x-grpc-close: the status of its own proxy_grpc_close afterwards
 * A stream the host refuses answers 500 "grpc stream failed: <status>\n".
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proxy_wasm.h"
#include "directives.h"

#define MAX_STREAMS 1024
#define MAX_TEXT 1024

static char cluster[128] = "streams";
static char service[128] = "test.Streams";
static char method[128] = "Chat";
static char messages_text[16] = "2";
static char half_close[8] = "yes";

typedef struct {
  uint32_t token;
  uint32_t context_id;
  char received[MAX_TEXT];
  char initial[128];
  char trailer[128];
  char callbacks[64];
} stream_t;

static stream_t streams[MAX_STREAMS];

static stream_t *find(uint32_t token) {
  for (int i = 0; i < MAX_STREAMS; i++) {
    if (streams[i].token == token && token != 0) {
      return &streams[i];
    }
  }
  return NULL;
}

static void append(char *text, size_t capacity, const char *data, size_t size) {
  size_t length = strlen(text);
  if (length + size + 1 > capacity) {
    size = capacity - length - 1;
  }
  memcpy(text + length, data, size);
  text[length + size] = '\0';
}

static void metadata_value(proxy_map_type_t map, const char *name, char *out, size_t capacity) {
  char *value = NULL;
  size_t size = 0;
  if (proxy_header_get(map, name, &value, &size) == PROXY_OK) {
    out[0] = '\0';
    append(out, capacity, value, size);
  }
  free(value);
}

static void note(stream_t *stream, const char *letter) {
  append(stream->callbacks, sizeof stream->callbacks, letter, 1);
}

PROXY_EXPORT(proxy_on_configure)
uint32_t proxy_on_configure(uint32_t root_context_id, uint32_t configuration_size) {
  (void)root_context_id;
  const setting_t settings[] = {
      {"cluster", cluster, sizeof cluster},
      {"service", service, sizeof service},
      {"method", method, sizeof method},
      {"messages", messages_text, sizeof messages_text},
      {"half-close", half_close, sizeof half_close},
  };
  return directive_configure("grpc_stream_filter", configuration_size, settings, 5) ? 1 : 0;
}

static void respond_text(uint32_t status, const char *text) {
  proxy_send_local_response(status, "grpc_stream_filter", strlen("grpc_stream_filter"), text,
                            strlen(text), NULL, 0, PROXY_NO_GRPC_STATUS);
}

PROXY_EXPORT(proxy_on_request_headers)
uint32_t proxy_on_request_headers(uint32_t context_id, uint32_t headers, uint32_t end_of_stream) {
  (void)headers;
  (void)end_of_stream;
  stream_t *slot = NULL;
  for (int i = 0; i < MAX_STREAMS && slot == NULL; i++) {
    if (streams[i].token == 0) {
      slot = &streams[i];
    }
  }
  char *path = NULL;
  size_t path_size = 0;
  proxy_header_get(PROXY_MAP_HTTP_REQUEST_HEADERS, ":path", &path, &path_size);
  char path_text[256] = "";
  append(path_text, sizeof path_text, path ? path : "", path_size);
  free(path);

  const char *names[] = {"x-request-path"};
  const char *values[] = {path_text};
  size_t metadata_size = 0;
  char *metadata = proxy_serialize_pairs(names, values, 1, &metadata_size);
  uint32_t token = 0;
  proxy_status_t status = slot == NULL ? PROXY_INTERNAL_FAILURE
      : proxy_grpc_stream(cluster, strlen(cluster), service, strlen(service), method, strlen(method),
                          metadata, metadata_size, &token);
  free(metadata);
  if (status != PROXY_OK) {
    char body[64];
    snprintf(body, sizeof body, "grpc stream failed: %d\n", (int)status);
    respond_text(500, body);
    return PROXY_ACTION_PAUSE;
  }
  memset(slot, 0, sizeof *slot);
  slot->token = token;
  slot->context_id = context_id;
  int count = atoi(messages_text);
  int end = strcmp(half_close, "yes") == 0;
  for (int i = 1; i <= count; i++) {
    char message[300];
    int length = snprintf(message, sizeof message, "%s#%d", path_text, i);
    proxy_grpc_send(token, message, (size_t)length, end && i == count);
  }
  if (end && count == 0) {
    proxy_grpc_close(token);
  }
  return PROXY_ACTION_PAUSE;
}

PROXY_EXPORT(proxy_on_grpc_receive_initial_metadata)
void proxy_on_grpc_receive_initial_metadata(uint32_t root_context_id, uint32_t token, uint32_t count) {
  (void)root_context_id;
  (void)count;
  stream_t *stream = find(token);
  if (stream != NULL) {
    note(stream, "I");
    metadata_value(PROXY_MAP_GRPC_RECEIVE_INITIAL_METADATA, "x-initial", stream->initial,
                   sizeof stream->initial);
  }
}

PROXY_EXPORT(proxy_on_grpc_receive)
void proxy_on_grpc_receive(uint32_t root_context_id, uint32_t token, uint32_t message_size) {
  (void)root_context_id;
  stream_t *stream = find(token);
  if (stream == NULL) {
    return;
  }
  note(stream, "M");
  char *message = NULL;
  size_t size = 0;
  if (message_size > 0) {
    proxy_get_buffer_bytes(PROXY_BUFFER_GRPC_RECEIVE, 0, message_size, &message, &size);
  }
  if (stream->received[0] != '\0') {
    append(stream->received, sizeof stream->received, ",", 1);
  }
  append(stream->received, sizeof stream->received, message ? message : "", size);
  free(message);
}

PROXY_EXPORT(proxy_on_grpc_receive_trailing_metadata)
void proxy_on_grpc_receive_trailing_metadata(uint32_t root_context_id, uint32_t token, uint32_t count) {
  (void)root_context_id;
  (void)count;
  stream_t *stream = find(token);
  if (stream != NULL) {
    note(stream, "T");
    metadata_value(PROXY_MAP_GRPC_RECEIVE_TRAILING_METADATA, "x-trailer", stream->trailer,
                   sizeof stream->trailer);
  }
}

PROXY_EXPORT(proxy_on_grpc_close)
void proxy_on_grpc_close(uint32_t root_context_id, uint32_t token, uint32_t status_code) {
  (void)root_context_id;
  stream_t *stream = find(token);
  if (stream == NULL) {
    return;
  }
  note(stream, "C");
  uint32_t code = 0;
  char *message = NULL;
  size_t message_size = 0;
  proxy_get_status(&code, &message, &message_size);
  char message_text[256] = "";
  append(message_text, sizeof message_text, message ? message : "", message_size);
  free(message);
  proxy_status_t closed = proxy_grpc_close(token);
  uint32_t context_id = stream->context_id;
  stream->token = 0;
  if (proxy_set_effective_context(context_id) != PROXY_OK) {
    return;
  }
  char status_text[16];
  char closed_text[16];
  snprintf(status_text, sizeof status_text, "%u", status_code);
  snprintf(closed_text, sizeof closed_text, "%d", (int)closed);
  const char *names[] = {"x-grpc-status", "x-grpc-message", "x-grpc-initial", "x-grpc-trailer",
                         "x-grpc-callbacks", "x-grpc-close"};
  const char *values[] = {status_text, message_text, stream->initial, stream->trailer,
                          stream->callbacks, closed_text};
  size_t headers_size = 0;
  char *headers = proxy_serialize_pairs(names, values, 6, &headers_size);
  char body[MAX_TEXT + 2];
  int length = snprintf(body, sizeof body, "%s\n", stream->received);
  proxy_send_local_response(200, "grpc_stream_filter", strlen("grpc_stream_filter"), body,
                            (size_t)length, headers, headers_size, PROXY_NO_GRPC_STATUS);
  free(headers);
}

PROXY_EXPORT(proxy_on_done)
uint32_t proxy_on_done(uint32_t context_id) {
  for (int i = 0; i < MAX_STREAMS; i++) {
    if (streams[i].token != 0 && streams[i].context_id == context_id) {
      streams[i].token = 0; /* the host cancels the stream with the context */
    }
  }
  return 1;
}
