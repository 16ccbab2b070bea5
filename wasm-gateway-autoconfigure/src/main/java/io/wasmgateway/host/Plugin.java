package io.wasmgateway.host;

/** A configured filter: a module, a root id and a plugin configuration, with one root context per VM. */
public final class Plugin {

    public ProxyWasmModule module() {
        throw new UnsupportedOperationException("TODO");
    }

    /** The effective root id ("" when none). */
    public String rootId() {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * A new HTTP context for one request, on the VM instance assigned to the calling thread (so requests of
     * one event loop share a VM and never contend). proxy_on_context_create runs with the first callback.
     */
    public HttpContext newHttpContext(StreamHost stream) {
        throw new UnsupportedOperationException("TODO");
    }
}
