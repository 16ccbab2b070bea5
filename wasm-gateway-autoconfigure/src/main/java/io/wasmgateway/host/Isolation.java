package io.wasmgateway.host;

/**
 * Which requests share a VM instance of a module (ngx_wasm_module's {@code proxy_wasm_isolation}).
 */
public enum Isolation {

    /**
     * Requests share the module's long-lived instances, one per event-loop slot; root-context state lives as long
     * as the instance, and a trap fails the requests whose contexts already ran on the broken instance.
     */
    NONE,

    /**
     * Every request gets a fresh instance, its root contexts already configured, taken from a pool refilled off
     * the event loops and discarded after the request: a trap fails only its own request, and root-context state
     * never outlives the request.
     */
    STREAM
}
