package io.wasmgateway.gateway.redis;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.CommandOutput;

/**
 * Writes Lettuce's decoded RESP2 reply back as the bytes Redis sent, for proxy_on_redis_call_response: simple
 * strings, errors (kept as reply bytes, so the call still succeeds: the filter sees {@code -ERR ...}),
 * integers, bulk strings, arrays (nested too) and nulls. A reply beyond the byte limit is marked too large.
 */
final class RawReplyOutput extends CommandOutput<byte[], byte[], byte[]> {

    private static final byte[] CRLF = {'\r', '\n'};

    private final int maxBytes;
    private byte[] buffer = new byte[64];
    private int size;
    private boolean tooLarge;

    RawReplyOutput(int maxBytes) {
        super(ByteArrayCodec.INSTANCE, null);
        this.maxBytes = maxBytes;
    }

    @Override
    public void set(ByteBuffer bytes) {
        if (bytes == null) {
            ascii("$-1\r\n");
            return;
        }
        ascii("$" + bytes.remaining() + "\r\n");
        append(bytes);
        append(CRLF);
    }

    @Override
    public void setSingle(ByteBuffer bytes) {
        ascii("+");
        if (bytes != null) {
            append(bytes);
        }
        append(CRLF);
    }

    @Override
    public void set(long integer) {
        ascii(":" + integer + "\r\n");
    }

    @Override
    public void setError(ByteBuffer error) {
        ascii("-");
        append(error);
        append(CRLF);
    }

    @Override
    public void setError(String error) {
        ascii("-" + error + "\r\n");
    }

    @Override
    public void multi(int count) {
        ascii("*" + count + "\r\n");
    }

    @Override
    public boolean hasError() {
        return false; // an error reply is a reply: the call completes with it
    }

    boolean isTooLarge() {
        return tooLarge;
    }

    @Override
    public byte[] get() {
        return Arrays.copyOf(buffer, size);
    }

    private void ascii(String text) {
        append(text.getBytes(StandardCharsets.US_ASCII));
    }

    private void append(ByteBuffer bytes) {
        int length = bytes.remaining();
        if (reserve(length)) {
            bytes.get(buffer, size, length);
            size += length;
        }
    }

    private void append(byte[] bytes) {
        if (reserve(bytes.length)) {
            System.arraycopy(bytes, 0, buffer, size, bytes.length);
            size += bytes.length;
        }
    }

    private boolean reserve(int length) {
        if (tooLarge || (long) size + length > maxBytes) {
            tooLarge = true;
            return false;
        }
        if (size + length > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + length));
        }
        return true;
    }
}
