package io.wasmgateway.host;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What a route's filter holds instead of a {@link Plugin}: the current plugin of its (module, root id,
 * configuration). A reload swaps in the same plugin created on the new module version; requests started before
 * keep the contexts they have, on the old version.
 */
public final class PluginHandle {

    private final AtomicReference<Plugin> current;

    // the requests that may still open contexts on the plugin; once released, the last of them ends it
    private final OpenContexts users = new OpenContexts(() -> current().release());

    public PluginHandle(Plugin plugin) {
        this.current = new AtomicReference<>(Objects.requireNonNull(plugin, "plugin"));
    }

    public Plugin current() {
        return current.get();
    }

    /** Makes {@code next} the plugin new requests use; returns the one it replaces. */
    public Plugin swap(Plugin next) {
        return current.getAndSet(Objects.requireNonNull(next, "next"));
    }

    /** The effective root id ("" when none); the same on every version. */
    public String rootId() {
        return current.get().rootId();
    }

    /**
     * A new HTTP context on the current plugin. When a reload retires and closes the plugin's module between
     * reading it and opening the context, the context opens on the plugin that replaced it.
     *
     * @throws IllegalStateException when the module is closed and not replaced (the application stops)
     */
    public HttpContext newHttpContext(StreamHost stream) {
        while (true) {
            Plugin plugin = current.get();
            HttpContext context = plugin.tryNewHttpContext(stream);
            if (context != null) {
                return context;
            }
            if (current.get() == plugin) {
                throw new IllegalStateException("wasm module '" + plugin.module().name() + "' is closed");
            }
        }
    }

    /**
     * Counts a request that may open contexts on this plugin until {@link #unpin()}: a released plugin ends only
     * after its last such request. False when the plugin has ended already (the request must not use it).
     */
    public boolean pin() {
        return users.tryOpen();
    }

    public void unpin() {
        users.finished();
    }

    /**
     * No route uses the plugin any more: it ends (see {@link Plugin#release()}) as soon as no pinned request
     * is left, at once when none is.
     */
    public void release() {
        users.retire();
    }

    @Override
    public String toString() {
        return "PluginHandle[" + current.get() + "]";
    }
}
