package io.wasmgateway.host;

/**
 * A callback that did not run because its VM instance had broken on an earlier trap of another callback (another
 * request's, under shared instances): the context failed through no fault of its own.
 */
public class BrokenInstanceException extends WasmTrapException {

    public BrokenInstanceException(String message) {
        super(message, null);
    }
}
