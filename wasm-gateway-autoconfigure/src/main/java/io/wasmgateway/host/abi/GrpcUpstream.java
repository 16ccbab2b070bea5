package io.wasmgateway.host.abi;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The upstream argument of proxy_grpc_call and proxy_grpc_stream, read as Envoy reads it: the bytes of a serialized
 * {@code envoy.config.core.v3.GrpcService} ({@code envoy_grpc.cluster_name} or {@code google_grpc.target_uri},
 * {@code timeout}, {@code initial_metadata}), or else a cluster name. Unlike Envoy, bytes that happen to parse as
 * a message but name no cluster are taken as a name too (a name is never a valid message with a target).
 *
 * @param cluster the cluster name or target URI
 * @param timeoutMillis the message's timeout, 0 when it has none
 * @param initialMetadata the message's initial metadata (keys lower case; raw values of -bin keys base64-encoded)
 */
record GrpcUpstream(String cluster, long timeoutMillis, List<Map.Entry<String, String>> initialMetadata) {

    // GrpcService fields (envoy/config/core/v3/grpc_service.proto)
    private static final int ENVOY_GRPC = 1;
    private static final int GOOGLE_GRPC = 2;
    private static final int TIMEOUT = 3;
    private static final int INITIAL_METADATA = 5;

    static GrpcUpstream parse(byte[] bytes) {
        GrpcUpstream service = bytes.length == 0 ? null : asGrpcService(bytes);
        return service != null ? service
                : new GrpcUpstream(new String(bytes, StandardCharsets.UTF_8), 0, List.of());
    }

    private static GrpcUpstream asGrpcService(byte[] bytes) {
        try {
            ProtoReader message = new ProtoReader(bytes, 0, bytes.length);
            String cluster = null;
            long timeoutMillis = 0;
            List<Map.Entry<String, String>> metadata = new ArrayList<>();
            while (message.next()) {
                switch (message.field()) {
                    case ENVOY_GRPC, GOOGLE_GRPC -> {
                        // EnvoyGrpc.cluster_name and GoogleGrpc.target_uri are both field 1
                        String name = message.embedded().string(1);
                        if (name != null && !name.isEmpty()) {
                            cluster = name;
                        }
                    }
                    case TIMEOUT -> timeoutMillis = durationMillis(message.embedded());
                    case INITIAL_METADATA -> metadata.add(headerValue(message.embedded()));
                    default -> message.skip();
                }
            }
            return cluster == null ? null : new GrpcUpstream(cluster, timeoutMillis, List.copyOf(metadata));
        } catch (IllegalArgumentException notAMessage) {
            return null;
        }
    }

    // google.protobuf.Duration: seconds (1), nanos (2)
    private static long durationMillis(ProtoReader duration) {
        long seconds = 0;
        long nanos = 0;
        while (duration.next()) {
            switch (duration.field()) {
                case 1 -> seconds = duration.varint();
                case 2 -> nanos = duration.varint();
                default -> duration.skip();
            }
        }
        if (seconds < 0 || nanos < 0) {
            throw new IllegalArgumentException("negative duration");
        }
        return Math.min(seconds, Long.MAX_VALUE / 1000) * 1000 + nanos / 1_000_000;
    }

    // envoy.config.core.v3.HeaderValue: key (1), value (2), raw_value (3)
    private static Map.Entry<String, String> headerValue(ProtoReader header) {
        String key = "";
        String value = "";
        while (header.next()) {
            switch (header.field()) {
                case 1 -> key = header.text();
                case 2 -> value = header.text();
                case 3 -> value = Base64.getEncoder().encodeToString(header.bytes());
                default -> header.skip();
            }
        }
        if (key.isEmpty()) {
            throw new IllegalArgumentException("metadata without a key");
        }
        return Map.entry(key.toLowerCase(java.util.Locale.ROOT), value);
    }

    /**
     * The protobuf wire format, just enough to read the messages above; anything malformed throws
     * IllegalArgumentException (the bytes are then not a message).
     */
    static final class ProtoReader {

        private final byte[] bytes;
        private final int end;
        private int position;
        private int tag;

        ProtoReader(byte[] bytes, int start, int end) {
            this.bytes = bytes;
            this.position = start;
            this.end = end;
        }

        /** Moves to the next field; false at the end. */
        boolean next() {
            if (position >= end) {
                return false;
            }
            long key = varint();
            if (key >>> 3 == 0 || key >>> 3 > 0x1FFFFFFF) {
                throw new IllegalArgumentException("bad field number");
            }
            tag = (int) key;
            int wireType = tag & 7;
            if (wireType != 0 && wireType != 1 && wireType != 2 && wireType != 5) {
                throw new IllegalArgumentException("unsupported wire type " + wireType);
            }
            return true;
        }

        int field() {
            return tag >>> 3;
        }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (position >= end) {
                    throw new IllegalArgumentException("truncated varint");
                }
                byte b = bytes[position++];
                value |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("varint too long");
        }

        /** The current length-delimited field's bounds as a reader. */
        ProtoReader embedded() {
            int length = length();
            ProtoReader inner = new ProtoReader(bytes, position, position + length);
            position += length;
            return inner;
        }

        byte[] bytes() {
            int length = length();
            byte[] value = java.util.Arrays.copyOfRange(bytes, position, position + length);
            position += length;
            return value;
        }

        String text() {
            return new String(bytes(), StandardCharsets.UTF_8);
        }

        /** The first string field with that number in this (embedded) message, or null. */
        String string(int number) {
            String found = null;
            while (next()) {
                if (field() == number && (tag & 7) == 2 && found == null) {
                    found = text();
                } else {
                    skip();
                }
            }
            return found;
        }

        void skip() {
            switch (tag & 7) {
                case 0 -> varint();
                case 1 -> advance(8);
                case 2 -> advance(length());
                case 5 -> advance(4);
                default -> throw new IllegalArgumentException("unsupported wire type");
            }
        }

        private int length() {
            if ((tag & 7) != 2) {
                throw new IllegalArgumentException("not length-delimited");
            }
            long length = varint();
            if (length < 0 || length > end - position) {
                throw new IllegalArgumentException("length beyond the message");
            }
            return (int) length;
        }

        private void advance(int count) {
            if (count > end - position) {
                throw new IllegalArgumentException("field beyond the message");
            }
            position += count;
        }
    }
}
