package io.wasmgateway.gateway.extism;

/** A call of a plugin's export that gave no output: why, in words that name module and function. */
public class ExtismCallException extends RuntimeException {

    /** What went wrong. */
    public enum Kind {
        /** The call trapped or ran past its budget: its instance is discarded and replaced. */
        TRAP,
        /** The export returned an Extism error (return code 1, with the plugin's message). */
        PLUGIN_ERROR,
        /** No instance could take the call (all are being replaced after traps). */
        UNAVAILABLE
    }

    private final Kind kind;

    public ExtismCallException(Kind kind, String module, String function, String reason, Throwable cause) {
        super("wasm module '" + module + "' function '" + function + "' " + switch (kind) {
            case TRAP -> "trapped: ";
            case PLUGIN_ERROR -> "returned an error: ";
            case UNAVAILABLE -> "could not run: ";
        } + reason, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
