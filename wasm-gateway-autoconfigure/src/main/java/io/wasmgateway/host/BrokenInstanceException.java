package io.wasmgateway.host;

/**
 * A callback that never ran because its VM instance had broken on an earlier trap (of another request under
 * shared instances, or of this one). A request whose first callback this is has no state on the broken instance
 * and can start afresh elsewhere; otherwise the context failed through no fault of its own.
 */
public class BrokenInstanceException extends WasmTrapException {

    public BrokenInstanceException(String message) {
        super(message, null);
    }
}
