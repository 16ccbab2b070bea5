package io.wasmgateway.gateway.exchange;

import java.nio.ByteBuffer;

import io.wasmgateway.host.abi.AbiBuffer;
import io.wasmgateway.host.abi.Status;

import org.springframework.core.io.buffer.DataBuffer;

/** A body chunk as the host reads it: in place, without a copy; the host copies what it must keep. */
final class DataBufferChunk implements AbiBuffer {

    static final AbiBuffer EMPTY = AbiBuffer.readOnly(new byte[0]);

    private final DataBuffer buffer;

    private DataBufferChunk(DataBuffer buffer) {
        this.buffer = buffer;
    }

    static AbiBuffer of(DataBuffer buffer) {
        return buffer == null ? EMPTY : new DataBufferChunk(buffer);
    }

    @Override
    public int size() {
        return buffer.readableByteCount();
    }

    @Override
    public byte[] bytes(int start, int length) {
        byte[] bytes = new byte[length];
        buffer.toByteBuffer(buffer.readPosition() + start, ByteBuffer.wrap(bytes), 0, length);
        return bytes;
    }

    @Override
    public int replace(long start, long length, byte[] data) {
        return Status.NOT_FOUND; // the host changes its own copy
    }
}
