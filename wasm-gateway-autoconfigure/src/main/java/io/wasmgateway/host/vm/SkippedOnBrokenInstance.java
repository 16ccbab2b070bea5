package io.wasmgateway.host.vm;

import io.wasmgateway.host.WasmTrapException;

/**
 * A callback that never ran: its VM instance had broken on an earlier trap (of another request, or of this one).
 * A request whose first callback this is has no state on the broken instance and can start afresh elsewhere.
 */
final class SkippedOnBrokenInstance extends WasmTrapException {

    SkippedOnBrokenInstance(String message) {
        super(message, null);
    }
}
