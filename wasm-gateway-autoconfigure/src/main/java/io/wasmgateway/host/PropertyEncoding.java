package io.wasmgateway.host;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Property values encoded as Envoy encodes them, so filters written for Envoy read them. */
public final class PropertyEncoding {

    private PropertyEncoding() {
    }

    /** Strings are raw bytes (UTF-8). */
    public static byte[] string(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /** Integers are 8 bytes, little-endian. */
    public static byte[] int64(long value) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
    }

    /** Booleans are one byte. */
    public static byte[] bool(boolean value) {
        return new byte[] {(byte) (value ? 1 : 0)};
    }

    /** Maps use the header-map pair serialization; strings are ISO-8859-1 (one byte per char). */
    public static byte[] map(List<Map.Entry<String, String>> pairs) {
        return io.wasmgateway.host.abi.PairsCodec.encode(pairs);
    }
}
