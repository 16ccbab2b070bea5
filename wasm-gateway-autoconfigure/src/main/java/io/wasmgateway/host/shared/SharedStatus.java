package io.wasmgateway.host.shared;

/**
 * The outcome of a shared data or shared queue operation. Each value maps to one Proxy-Wasm status, which is
 * what the host function returns to the guest.
 */
public enum SharedStatus {

    /** Done. */
    OK(0),

    /** The key, or the queue id, does not exist. */
    NOT_FOUND(1),

    /** The entry or message is larger than the whole store or queue may hold: it can never fit. */
    TOO_LARGE(2), // BAD_ARGUMENT

    /** The queue holds no message. */
    EMPTY(7),

    /** The cas given is not the key's current cas. */
    CAS_MISMATCH(8),

    /**
     * No room: the shared data store is full and its eviction is {@code NONE}, or the queue is at its depth
     * or byte limit. Nothing already stored was changed.
     */
    FULL(10); // INTERNAL_FAILURE

    private final int abiStatus;

    SharedStatus(int abiStatus) {
        this.abiStatus = abiStatus;
    }

    /** The Proxy-Wasm status ({@code proxy_status_t}) to return to the guest. */
    public int abiStatus() {
        return abiStatus;
    }
}
