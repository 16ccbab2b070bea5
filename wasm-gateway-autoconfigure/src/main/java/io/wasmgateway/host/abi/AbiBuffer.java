package io.wasmgateway.host.abi;

/** A buffer the guest reads or changes with proxy_get_buffer_bytes / proxy_set_buffer_bytes. */
public interface AbiBuffer {

    int size();

    /** Bytes [start, start + length), both already within {@link #size()}. */
    byte[] bytes(int start, int length);

    /**
     * Replaces [start, start + length) with data, with the spec's prepend / append / replace rules.
     *
     * @return a {@link Status}
     */
    int replace(long start, long length, byte[] data);

    /**
     * A buffer the guest may only read (configurations, a call's answer): changing it answers BAD_ARGUMENT, as
     * Envoy's immutable buffers do ({@code Buffer::copyFrom}, cpp-host's {@code BufferBase::copyFrom}).
     */
    static AbiBuffer readOnly(byte[] content) {
        return new AbiBuffer() {
            @Override
            public int size() {
                return content.length;
            }

            @Override
            public byte[] bytes(int start, int length) {
                return java.util.Arrays.copyOfRange(content, start, start + length);
            }

            @Override
            public int replace(long start, long length, byte[] data) {
                return Status.BAD_ARGUMENT;
            }
        };
    }
}
