package io.wasmgateway.host;

import io.wasmgateway.host.vm.PluginRuntime;

/** A configured filter: a module, a root id and a plugin configuration, with one root context per VM. */
public final class Plugin {

    private final ProxyWasmModule module;
    private final PluginRuntime runtime;

    Plugin(ProxyWasmModule module, PluginRuntime runtime) {
        this.module = module;
        this.runtime = runtime;
    }

    public ProxyWasmModule module() {
        return module;
    }

    /** The effective root id ("" when none). */
    public String rootId() {
        return runtime.rootId();
    }

    /**
     * A new HTTP context for one request, on the VM instance assigned to the calling thread (so requests of
     * one event loop share a VM and never contend). proxy_on_context_create runs with the first callback.
     *
     * @throws IllegalStateException when the module is closed
     */
    public HttpContext newHttpContext(StreamHost stream) {
        if (module.isClosed()) {
            throw new IllegalStateException("wasm module '" + module.name() + "' is closed");
        }
        return new HttpContext(runtime.newStream(stream));
    }

    @Override
    public String toString() {
        return "Plugin[" + module.name() + ", root id '" + rootId() + "']";
    }
}
