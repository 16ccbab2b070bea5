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
        HttpContext context = tryNewHttpContext(stream);
        if (context == null) {
            throw new IllegalStateException("wasm module '" + module.name() + "' is closed");
        }
        return context;
    }

    /** {@link #newHttpContext}, or null when the module is closed (a reload replaced it). */
    HttpContext tryNewHttpContext(StreamHost stream) {
        OpenContexts open = module.openContexts();
        if (module.isClosed() || !open.tryOpen()) {
            return null;
        }
        try {
            return runtime.newHttpContext(stream, open.finishedAction());
        }
        catch (RuntimeException ex) {
            open.finished();
            throw ex;
        }
    }

    /**
     * Ends the plugin when no route uses it any more: proxy_on_done and proxy_on_delete on its root context on
     * every VM instance, its timers and queue registrations stopped. Its HTTP contexts must all have finished.
     */
    void release() {
        module.releasePlugin(runtime);
    }

    @Override
    public String toString() {
        return "Plugin[" + module.name() + ", root id '" + rootId() + "']";
    }
}
