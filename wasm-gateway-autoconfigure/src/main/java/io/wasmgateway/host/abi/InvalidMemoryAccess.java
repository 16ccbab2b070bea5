package io.wasmgateway.host.abi;

/**
 * A guest pointer or length outside linear memory, or a failed guest allocation. Thrown by {@link GuestMemory}
 * and turned into INVALID_MEMORY_ACCESS by {@link HostCall}; it never leaves a host function.
 */
public final class InvalidMemoryAccess extends RuntimeException {

    public InvalidMemoryAccess(String message) {
        super(message, null, false, false);
    }
}
