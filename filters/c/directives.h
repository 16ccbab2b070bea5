/*
 * directives.h - the configuration syntax shared by our C filters.
 *
 * A configuration is a list of directives separated by newlines or ';'. Each directive is trimmed of
 * surrounding whitespace; empty directives are ignored. A directive is made of words separated by
 * spaces or tabs; what the words mean is up to the filter.
 */
#ifndef WASM_GATEWAY_DIRECTIVES_H
#define WASM_GATEWAY_DIRECTIVES_H

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proxy_wasm.h"

/* A slice of the configuration text (not NUL-terminated). */
typedef struct {
  const char *data;
  size_t size;
} slice_t;

static inline int directive_is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static inline slice_t slice_trim(slice_t s) {
  while (s.size > 0 && directive_is_space(s.data[0])) {
    s.data++;
    s.size--;
  }
  while (s.size > 0 && directive_is_space(s.data[s.size - 1])) {
    s.size--;
  }
  return s;
}

static inline int slice_equals(slice_t s, const char *word) {
  size_t i = 0;
  for (; i < s.size; i++) {
    if (word[i] == '\0' || word[i] != s.data[i]) {
      return 0;
    }
  }
  return word[i] == '\0';
}

/*
 * Iterates over the directives of text[0..size): returns 1 and stores the next non-empty, trimmed
 * directive in *out, advancing *pos; returns 0 at the end.
 */
static inline int directive_next(const char *text, size_t size, size_t *pos, slice_t *out) {
  while (*pos < size) {
    size_t start = *pos;
    while (*pos < size && text[*pos] != '\n' && text[*pos] != ';') {
      (*pos)++;
    }
    slice_t d = slice_trim((slice_t){text + start, *pos - start});
    if (*pos < size) {
      (*pos)++; /* skip the separator */
    }
    if (d.size > 0) {
      *out = d;
      return 1;
    }
  }
  return 0;
}

/* Splits the first word (up to a space or tab) off *rest; *rest keeps the trimmed remainder. */
static inline slice_t directive_word(slice_t *rest) {
  slice_t s = slice_trim(*rest);
  size_t i = 0;
  while (i < s.size && s.data[i] != ' ' && s.data[i] != '\t') {
    i++;
  }
  slice_t word = {s.data, i};
  *rest = slice_trim((slice_t){s.data + i, s.size - i});
  return word;
}

/* A "<name> <value>" directive stored as text in out[capacity] (the value must fit, NUL included). */
typedef struct {
  const char *name;
  char *out;
  size_t capacity;
} setting_t;

/*
 * Applies every directive of text[0..size) to the matching setting. Returns 1, or 0 after logging
 * "<filter>: malformed directive '<d>'" for an unknown name or a value that is empty or too long.
 */
static inline int directive_settings(const char *filter, const char *text, size_t size,
                                     const setting_t *settings, size_t count) {
  size_t pos = 0;
  slice_t directive;
  while (directive_next(text, size, &pos, &directive)) {
    slice_t value = directive;
    slice_t name = directive_word(&value);
    int ok = 0;
    for (size_t i = 0; i < count && !ok; i++) {
      if (slice_equals(name, settings[i].name) && value.size > 0 && value.size < settings[i].capacity) {
        memcpy(settings[i].out, value.data, value.size);
        settings[i].out[value.size] = '\0';
        ok = 1;
      }
    }
    if (!ok) {
      char prefix[96];
      snprintf(prefix, sizeof prefix, "%s: malformed directive '", filter);
      proxy_log_concat(PROXY_LOG_ERROR, prefix, directive.data, directive.size, "'");
      return 0;
    }
  }
  return 1;
}

/* In proxy_on_configure: reads the plugin configuration and applies it to the settings (1, or 0). */
static inline int directive_configure(const char *filter, size_t configuration_size,
                                      const setting_t *settings, size_t count) {
  size_t size;
  char *text = proxy_read_plugin_configuration(configuration_size, &size);
  if (text == NULL) {
    return 0;
  }
  int ok = directive_settings(filter, text, size, settings, count);
  free(text);
  return ok;
}

#endif /* WASM_GATEWAY_DIRECTIVES_H */
