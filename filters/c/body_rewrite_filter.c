/*
 * body_rewrite_filter - rewrites a word in response bodies, changing their length.
 *
 * Configuration: "from <word>; to <replacement>" (defaults: "world" and "wasm-gateway"; each 1-63
 * bytes).
 *
 * It holds the response body (returns Pause from proxy_on_response_body until end_of_stream), then
 * reads the whole body from buffer 1, replaces every occurrence of <from> with <to>, and writes the
 * result back with proxy_set_buffer_bytes(1, 0, size, ...). It does not touch Content-Length: the host
 * corrects it. It adds response header "x-body-rewrites: <count>" in the last body callback, which the
 * host still sends because the response headers leave with the first body bytes. A response body that
 * does not end (end_of_stream never true) would be held until the module's max-buffered-body.
 */
#include <stdio.h>

#include "directives.h"
#include "proxy_wasm.h"

static char from[64] = "world";
static char to[64] = "wasm-gateway";

PROXY_EXPORT(proxy_on_configure)
uint32_t proxy_on_configure(uint32_t root_context_id, uint32_t configuration_size) {
  (void)root_context_id;
  const setting_t settings[] = {{"from", from, sizeof from}, {"to", to, sizeof to}};
  return directive_configure("body_rewrite_filter", configuration_size, settings, 2) ? 1 : 0;
}

/* Counts the occurrences of word in data[0..size). */
static size_t count_words(const char *data, size_t size, const char *word, size_t word_size) {
  size_t count = 0;
  for (size_t i = 0; i + word_size <= size;) {
    if (memcmp(data + i, word, word_size) == 0) {
      count++;
      i += word_size;
    } else {
      i++;
    }
  }
  return count;
}

/* data with every word replaced by replacement, in a malloc'd buffer of *out_size bytes. */
static char *replace_words(const char *data, size_t size, size_t count, size_t *out_size) {
  size_t from_size = strlen(from), to_size = strlen(to);
  *out_size = size - count * from_size + count * to_size;
  char *out = malloc(*out_size ? *out_size : 1);
  if (out == NULL) {
    return NULL;
  }
  size_t o = 0;
  for (size_t i = 0; i < size;) {
    if (i + from_size <= size && memcmp(data + i, from, from_size) == 0) {
      memcpy(out + o, to, to_size);
      o += to_size;
      i += from_size;
    } else {
      out[o++] = data[i++];
    }
  }
  return out;
}

PROXY_EXPORT(proxy_on_response_body)
uint32_t proxy_on_response_body(uint32_t context_id, uint32_t body_size, uint32_t end_of_stream) {
  (void)context_id;
  if (!end_of_stream) {
    return PROXY_ACTION_PAUSE; /* hold: the next callback sees the whole body so far */
  }
  char *body;
  size_t size = proxy_read_body(PROXY_BUFFER_HTTP_RESPONSE_BODY, body_size, &body);
  size_t count = count_words(body, size, from, strlen(from));
  if (count > 0) {
    size_t out_size;
    char *out = replace_words(body, size, count, &out_size);
    if (out != NULL) {
      proxy_set_buffer_bytes(PROXY_BUFFER_HTTP_RESPONSE_BODY, 0, size, out, out_size);
      free(out);
    }
  }
  free(body);
  char text[24];
  int length = snprintf(text, sizeof text, "%zu", count);
  proxy_header_replace(PROXY_MAP_HTTP_RESPONSE_HEADERS, "x-body-rewrites", text, (size_t)length);
  return PROXY_ACTION_CONTINUE;
}
