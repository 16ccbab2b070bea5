package io.wasmgateway.gateway.redis;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import io.lettuce.core.protocol.ProtocolKeyword;

/** A command name as the filter wrote it, for Lettuce's dispatch of a raw command. */
record RawCommandType(byte[] bytes, String name) implements ProtocolKeyword {

    static RawCommandType of(byte[] bytes) {
        return new RawCommandType(bytes, new String(bytes, StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT));
    }

    @Override
    public byte[] getBytes() {
        return bytes;
    }

    @Override
    public String toString() {
        return name;
    }
}
