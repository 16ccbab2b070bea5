package io.wasmgateway.gateway;

/**
 * Why the gateway cannot start with its wasm configuration. {@link WasmStartupFailureAnalyzer} turns it into
 * the "APPLICATION FAILED TO START" report: the message is the description, {@link #action()} the action.
 */
public abstract class WasmStartupException extends RuntimeException {

    protected WasmStartupException(String message, Throwable cause) {
        super(message, cause);
    }

    /** What the user should change. */
    public abstract String action();
}
