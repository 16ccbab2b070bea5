/*
 * protobuf.h - just enough of the protobuf wire format for the gRPC example filters to write their
 * requests and read their answers without generated code: varints and length-delimited fields.
 */
#ifndef WASM_GATEWAY_PROTOBUF_H
#define WASM_GATEWAY_PROTOBUF_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A growing output buffer. */
typedef struct {
  char *data;
  size_t size;
  size_t capacity;
} pb_out_t;

static inline void pb_put(pb_out_t *out, const void *data, size_t size) {
  if (out->size + size > out->capacity) {
    size_t capacity = out->capacity ? out->capacity : 64;
    while (capacity < out->size + size) {
      capacity *= 2;
    }
    out->data = realloc(out->data, capacity);
    out->capacity = capacity;
  }
  memcpy(out->data + out->size, data, size);
  out->size += size;
}

static inline void pb_varint(pb_out_t *out, uint64_t value) {
  char bytes[10];
  size_t n = 0;
  do {
    bytes[n] = (char)(value & 0x7F);
    value >>= 7;
    if (value) {
      bytes[n] |= (char)0x80;
    }
    n++;
  } while (value);
  pb_put(out, bytes, n);
}

/* A length-delimited field (wire type 2): a string, bytes or an embedded message. */
static inline void pb_bytes(pb_out_t *out, uint32_t field, const char *data, size_t size) {
  pb_varint(out, ((uint64_t)field << 3) | 2);
  pb_varint(out, size);
  pb_put(out, data, size);
}

static inline void pb_string(pb_out_t *out, uint32_t field, const char *text) {
  pb_bytes(out, field, text, strlen(text));
}

/* Appends an embedded message and frees it. */
static inline void pb_message(pb_out_t *out, uint32_t field, pb_out_t *inner) {
  pb_bytes(out, field, inner->data, inner->size);
  free(inner->data);
  *inner = (pb_out_t){0};
}

/* A reader over one message. */
typedef struct {
  const char *data;
  size_t size;
  size_t position;
  uint32_t field;
  uint32_t wire_type;
  int failed;
} pb_in_t;

static inline pb_in_t pb_reader(const char *data, size_t size) {
  return (pb_in_t){data, size, 0, 0, 0, 0};
}

static inline uint64_t pb_read_varint(pb_in_t *in) {
  uint64_t value = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (in->position >= in->size) {
      in->failed = 1;
      return 0;
    }
    uint8_t byte = (uint8_t)in->data[in->position++];
    value |= (uint64_t)(byte & 0x7F) << shift;
    if (!(byte & 0x80)) {
      return value;
    }
  }
  in->failed = 1;
  return 0;
}

/* Moves to the next field; 0 at the end or on malformed input. */
static inline int pb_next(pb_in_t *in) {
  if (in->failed || in->position >= in->size) {
    return 0;
  }
  uint64_t key = pb_read_varint(in);
  in->field = (uint32_t)(key >> 3);
  in->wire_type = (uint32_t)(key & 7);
  return !in->failed;
}

/* The current length-delimited field's bytes (not copied). */
static inline const char *pb_read_bytes(pb_in_t *in, size_t *size) {
  uint64_t length = pb_read_varint(in);
  if (in->failed || in->wire_type != 2 || length > in->size - in->position) {
    in->failed = 1;
    *size = 0;
    return NULL;
  }
  const char *data = in->data + in->position;
  in->position += length;
  *size = (size_t)length;
  return data;
}

static inline void pb_skip(pb_in_t *in) {
  size_t ignored;
  switch (in->wire_type) {
  case 0: pb_read_varint(in); break;
  case 1: in->position += 8; break;
  case 2: pb_read_bytes(in, &ignored); break;
  case 5: in->position += 4; break;
  default: in->failed = 1; break;
  }
  if (in->position > in->size) {
    in->failed = 1;
  }
}

#endif
