package io.wasmgateway.host;

/** A callback that trapped (or failed inside the host); the VM instance that ran it must not be trusted. */
public class WasmTrapException extends RuntimeException {

    public WasmTrapException(String message, Throwable cause) {
        super(message, cause);
    }
}
