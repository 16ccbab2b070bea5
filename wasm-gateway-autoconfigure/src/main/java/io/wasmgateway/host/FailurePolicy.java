package io.wasmgateway.host;

/**
 * What happens when a module's callback traps (or runs past its budget), or the module cannot be used at all.
 * Whatever the policy, the VM instance that failed is discarded and replaced by a fresh one.
 */
public enum FailurePolicy {

    /** The request is answered 503; an instance that cannot be replaced stays failed. */
    FAIL_CLOSED,

    /** The failing filter is skipped for the request, which goes on; an instance that cannot be replaced stays failed. */
    FAIL_OPEN,

    /** The request is answered 503; replacement is retried, with growing pauses, for as long as it keeps failing. */
    FAIL_RELOAD
}
