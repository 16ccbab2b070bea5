package io.wasmgateway.host;

/**
 * A configured filter: a module, a root id and a plugin configuration, with one root context per VM.
 *
 * <p>The host's VM package implements it (no façade in front); this class counts the plugin's HTTP contexts
 * open on its module. Only the host makes plugins ({@link ProxyWasmModule#createPlugin}).
 */
public abstract class Plugin {

    private final ProxyWasmModule module;

    /** For the host's implementation only. */
    protected Plugin(ProxyWasmModule module) {
        this.module = module;
    }

    public final ProxyWasmModule module() {
        return module;
    }

    /** The effective root id ("" when none). */
    public abstract String rootId();

    /**
     * A new HTTP context for one request, on the VM instance assigned to the calling thread (so requests of
     * one event loop share a VM and never contend). proxy_on_context_create runs with the first callback.
     *
     * @throws IllegalStateException when the module is closed
     */
    public final HttpContext newHttpContext(StreamHost stream) {
        HttpContext context = tryNewHttpContext(stream);
        if (context == null) {
            throw new IllegalStateException("wasm module '" + module.name() + "' is closed");
        }
        return context;
    }

    /** {@link #newHttpContext}, or null when the module is closed (a reload replaced it). */
    final HttpContext tryNewHttpContext(StreamHost stream) {
        OpenContexts open = module.openContexts();
        if (module.isClosed() || !open.tryOpen()) {
            return null;
        }
        try {
            return openContext(stream, open.finishedAction());
        }
        catch (RuntimeException ex) {
            open.finished();
            throw ex;
        }
    }

    /**
     * The context itself, already counted open on the module; {@code whenFinished} runs once when it has
     * finished.
     */
    protected abstract HttpContext openContext(StreamHost stream, Runnable whenFinished);

    /**
     * Ends the plugin when no route uses it any more: proxy_on_done and proxy_on_delete on its root context on
     * every VM instance, its timers and queue registrations stopped. Its HTTP contexts must all have finished.
     */
    final void release() {
        module.releasePlugin(this);
    }

    @Override
    public final String toString() {
        return "Plugin[" + module.name() + ", root id '" + rootId() + "']";
    }
}
