package io.wasmgateway.host.abi;

import io.wasmgateway.host.HeaderMap;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Proxy-Wasm map serialization (little-endian): a u32 pair count, then a (u32 key length, u32 value
 * length) per pair, then {@code key\0value\0} per pair. Strings are ISO-8859-1: one char per byte, so any
 * byte survives a round trip. An empty map encodes as a zero count (4 bytes), which every SDK reads; on
 * decoding, 0 bytes and a single zero byte are accepted as empty too, as the spec allows.
 */
public final class PairsCodec {

    private PairsCodec() {
    }

    public static byte[] encode(List<Map.Entry<String, String>> pairs) {
        int size = 4;
        for (Map.Entry<String, String> pair : pairs) {
            size += 10 + pair.getKey().length() + pair.getValue().length();
        }
        byte[] out = new byte[size];
        writeU32(out, 0, pairs.size());
        int lengths = 4;
        int data = 4 + 8 * pairs.size();
        for (Map.Entry<String, String> pair : pairs) {
            writeU32(out, lengths, pair.getKey().length());
            writeU32(out, lengths + 4, pair.getValue().length());
            lengths += 8;
            data = putTerminated(out, data, pair.getKey());
            data = putTerminated(out, data, pair.getValue());
        }
        return out;
    }

    /** Encodes a header map without copying it into entries first. */
    public static byte[] encode(HeaderMap map) {
        Writer writer = new Writer();
        return java.util.Arrays.copyOf(writer.buffer(), writer.encode(map));
    }

    /** The size {@link #encode(HeaderMap)} returns, without encoding. */
    public static int encodedSize(HeaderMap map) {
        long size = 4 + 10L * map.size() + map.textLength();
        return (int) Math.min(size, Integer.MAX_VALUE);
    }

    /**
     * Serialises maps into one buffer it keeps and reuses (one writer per VM instance, whose calls never overlap),
     * straight from {@link HeaderMap#forEach}: no copy of the map, no String per name, names lower-cased (ASCII)
     * on the way. The guest then gets the buffer's first bytes in one copy.
     */
    public static final class Writer implements HeaderMap.PairVisitor {

        private static final int KEPT_BYTES = 16 * 1024; // a larger buffer is let go after use

        private byte[] buffer = new byte[1024];
        private int pair;
        private int count;
        private int data;

        /** The buffer the last {@link #encode} or {@link #latin1} wrote to, from index 0. */
        public byte[] buffer() {
            return buffer;
        }

        /** Encodes the map into {@link #buffer()}; returns the encoded length. */
        public int encode(HeaderMap map) {
            count = map.size();
            pair = 0;
            data = 4 + 8 * count;
            ensure(data);
            writeU32(buffer, 0, count);
            map.forEach(this);
            if (pair != count) {
                throw new IllegalStateException("a header map gave " + pair + " pairs, its size said " + count);
            }
            return data;
        }

        /** Writes the text as ISO-8859-1 into {@link #buffer()}; returns its length. */
        public int latin1(CharSequence text) {
            int length = text.length();
            ensure(length);
            for (int i = 0; i < length; i++) {
                buffer[i] = (byte) text.charAt(i);
            }
            return length;
        }

        /** Lets go of a buffer grown beyond what is worth keeping. */
        public void trim() {
            if (buffer.length > KEPT_BYTES) {
                buffer = new byte[1024];
            }
        }

        @Override
        public void pair(CharSequence name, CharSequence value) {
            if (pair == count) {
                pair++; // more pairs than the size said: reported by encode
                return;
            }
            int nameLength = name.length();
            int valueLength = value.length();
            writeU32(buffer, 4 + 8 * pair, nameLength);
            writeU32(buffer, 8 + 8 * pair, valueLength);
            pair++;
            ensure(data + nameLength + valueLength + 2);
            byte[] out = buffer;
            int offset = data;
            for (int i = 0; i < nameLength; i++) {
                char c = name.charAt(i);
                out[offset++] = (byte) (c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
            }
            out[offset++] = 0;
            for (int i = 0; i < valueLength; i++) {
                out[offset++] = (byte) value.charAt(i);
            }
            out[offset++] = 0;
            data = offset;
        }

        private void ensure(int size) {
            if (size > buffer.length) {
                buffer = java.util.Arrays.copyOf(buffer, Math.max(size, buffer.length * 2));
            }
        }
    }

    /**
     * Decodes a serialized map a guest passed. Never throws: malformed input answers SERIALIZATION_FAILURE,
     * input beyond {@link Limits#MAX_MAP_BYTES} or {@link Limits#MAX_MAP_PAIRS} answers BAD_ARGUMENT.
     */
    public static Decoded decode(byte[] bytes) {
        if (bytes.length == 0 || (bytes.length == 1 && bytes[0] == 0)) {
            return Decoded.ok(List.of());
        }
        if (bytes.length > Limits.MAX_MAP_BYTES) {
            return Decoded.failed(Status.BAD_ARGUMENT);
        }
        if (bytes.length < 4) {
            return Decoded.failed(Status.SERIALIZATION_FAILURE);
        }
        long count = readU32(bytes, 0);
        if (count > Limits.MAX_MAP_PAIRS) {
            return Decoded.failed(Status.BAD_ARGUMENT);
        }
        long data = 4 + 8 * count;
        if (data > bytes.length) {
            return Decoded.failed(Status.SERIALIZATION_FAILURE);
        }
        List<Map.Entry<String, String>> pairs = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            long keyLength = readU32(bytes, 4 + 8 * i);
            long valueLength = readU32(bytes, 8 + 8 * i);
            long keyEnd = data + keyLength;
            long valueEnd = keyEnd + 1 + valueLength;
            if (valueEnd + 1 > bytes.length || bytes[(int) keyEnd] != 0 || bytes[(int) valueEnd] != 0) {
                return Decoded.failed(Status.SERIALIZATION_FAILURE);
            }
            String key = new String(bytes, (int) data, (int) keyLength, StandardCharsets.ISO_8859_1);
            String value = new String(bytes, (int) keyEnd + 1, (int) valueLength, StandardCharsets.ISO_8859_1);
            pairs.add(Map.entry(key, value));
            data = valueEnd + 1;
        }
        return Decoded.ok(pairs);
    }

    /** The outcome of {@link #decode}: the pairs, or the status to answer the guest with. */
    public record Decoded(List<Map.Entry<String, String>> pairs, int status) {

        static Decoded ok(List<Map.Entry<String, String>> pairs) {
            return new Decoded(pairs, Status.OK);
        }

        static Decoded failed(int status) {
            return new Decoded(List.of(), status);
        }

        public boolean isOk() {
            return status == Status.OK;
        }
    }

    private static int putTerminated(byte[] out, int offset, String text) {
        // ISO-8859-1: each char is one byte (chars above 0xFF cannot come from a guest; they are truncated)
        for (int i = 0; i < text.length(); i++) {
            out[offset++] = (byte) text.charAt(i);
        }
        out[offset++] = 0;
        return offset;
    }

    private static void writeU32(byte[] out, int offset, int value) {
        out[offset] = (byte) value;
        out[offset + 1] = (byte) (value >>> 8);
        out[offset + 2] = (byte) (value >>> 16);
        out[offset + 3] = (byte) (value >>> 24);
    }

    private static long readU32(byte[] in, int offset) {
        return (in[offset] & 0xFFL) | (in[offset + 1] & 0xFFL) << 8 | (in[offset + 2] & 0xFFL) << 16
                | (in[offset + 3] & 0xFFL) << 24;
    }
}
