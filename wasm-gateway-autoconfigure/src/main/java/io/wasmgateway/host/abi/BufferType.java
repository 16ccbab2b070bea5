package io.wasmgateway.host.abi;

/** {@code proxy_buffer_type_t}. */
public final class BufferType {

    public static final int HTTP_REQUEST_BODY = 0;
    public static final int HTTP_RESPONSE_BODY = 1;
    public static final int DOWNSTREAM_DATA = 2;
    public static final int UPSTREAM_DATA = 3;
    public static final int HTTP_CALL_RESPONSE_BODY = 4;
    public static final int GRPC_RECEIVE_BUFFER = 5;
    public static final int VM_CONFIGURATION = 6;
    public static final int PLUGIN_CONFIGURATION = 7;
    public static final int CALL_DATA = 8;
    /** Higress's extension: the RESP reply during proxy_on_redis_call_response. */
    public static final int REDIS_CALL_RESPONSE = 9;
    public static final int MAX = REDIS_CALL_RESPONSE;

    private BufferType() {
    }
}
