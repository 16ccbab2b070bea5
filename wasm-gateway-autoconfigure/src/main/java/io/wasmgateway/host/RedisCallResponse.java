package io.wasmgateway.host;

/**
 * The answer to a Redis call as proxy_on_redis_call_response delivers it: a status and, when it is
 * {@link #OK}, Redis's raw RESP reply (which may itself be an error reply such as {@code -ERR ...}: the call
 * went through). Higress's SDKs treat every non-zero status as "Redis could not be reached".
 *
 * @param status {@link #OK}, {@link #NETWORK_ERROR} or {@link #TIMEOUT}
 * @param reply the RESP reply, empty unless OK
 */
public record RedisCallResponse(int status, byte[] reply) {

    /** The command reached Redis and this is its reply. */
    public static final int OK = 0;

    /** No connection, refused credentials, or the connection broke before the reply. */
    public static final int NETWORK_ERROR = 1;

    /** No reply within the call's timeout. */
    public static final int TIMEOUT = 2;

    private static final byte[] NONE = new byte[0];

    public static RedisCallResponse of(byte[] reply) {
        return new RedisCallResponse(OK, reply);
    }

    public static RedisCallResponse failed(int status) {
        return new RedisCallResponse(status, NONE);
    }

    public boolean isFailed() {
        return status != OK;
    }
}
