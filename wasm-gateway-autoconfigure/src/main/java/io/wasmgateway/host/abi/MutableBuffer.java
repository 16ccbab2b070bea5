package io.wasmgateway.host.abi;

import java.util.Arrays;

/**
 * A buffer the guest may change, with proxy_set_buffer_bytes' rules: {@code start >= size} appends,
 * otherwise [start, start + length) (clipped to the content) is replaced by the data, so (0, 0) prepends.
 * Growing beyond {@code maxSize} is refused with BAD_ARGUMENT. For bodies, once they are carried.
 */
public final class MutableBuffer implements AbiBuffer {

    private final int maxSize;
    private byte[] content;

    public MutableBuffer(byte[] content, int maxSize) {
        this.content = content;
        this.maxSize = maxSize;
    }

    public byte[] content() {
        return content;
    }

    @Override
    public int size() {
        return content.length;
    }

    @Override
    public byte[] bytes(int start, int length) {
        return Arrays.copyOfRange(content, start, start + length);
    }

    @Override
    public int replace(long start, long length, byte[] data) {
        int from = (int) Math.min(start, content.length);
        int to = (int) Math.min(from + length, content.length);
        long newSize = (long) content.length - (to - from) + data.length;
        if (newSize > maxSize) {
            return Status.BAD_ARGUMENT;
        }
        byte[] result = new byte[(int) newSize];
        System.arraycopy(content, 0, result, 0, from);
        System.arraycopy(data, 0, result, from, data.length);
        System.arraycopy(content, to, result, from + data.length, content.length - to);
        content = result;
        return Status.OK;
    }
}
