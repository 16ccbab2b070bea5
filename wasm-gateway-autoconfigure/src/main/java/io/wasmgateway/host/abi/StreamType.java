package io.wasmgateway.host.abi;

/** {@code proxy_stream_type_t}. */
public final class StreamType {

    public static final int HTTP_REQUEST = 0;
    public static final int HTTP_RESPONSE = 1;
    public static final int DOWNSTREAM = 2;
    public static final int UPSTREAM = 3;

    private StreamType() {
    }
}
