package io.wasmgateway.host;

/** Thrown by a {@link ForeignFunction} to answer the guest with a Proxy-Wasm status instead of a result. */
public class ForeignFunctionException extends RuntimeException {

    /** The arguments are not what the function accepts. */
    public static final int BAD_ARGUMENT = 2;

    /** The arguments could not be decoded (Envoy's answer for bad compressed data). */
    public static final int SERIALIZATION_FAILURE = 3;

    /** The function failed. */
    public static final int INTERNAL_FAILURE = 10;

    private final int status;

    public ForeignFunctionException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
