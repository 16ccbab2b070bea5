package io.wasmgateway.host;

import io.wasmgateway.host.vm.ModuleLoader;

import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * A loaded Proxy-Wasm module: parsed and validated once, compiled once, with its pool of VM instances created
 * eagerly (each linked and started with _initialize/main or _start). Plugins (root contexts with
 * proxy_on_vm_start and proxy_on_configure) are created on every instance by {@link #createPlugin}.
 *
 * <p>The host's VM package implements it (no façade in front); this class keeps what the host promises of every
 * module: the count of open HTTP contexts, which lets a retired module close after its last request.
 */
public abstract class ProxyWasmModule implements AutoCloseable {

    private final OpenContexts openContexts = new OpenContexts(this::close);

    /** For the host's implementation only. */
    protected ProxyWasmModule() {
    }

    /**
     * Loads, validates, compiles and starts the module.
     *
     * @throws ModuleLoadException naming the module, its location and the reason: invalid binary, missing or
     *     unknown ABI marker, missing required exports, an import the host does not provide, a failing start
     *     function
     */
    public static ProxyWasmModule load(ModuleSpec spec) {
        return load(spec, HostServices.standalone());
    }

    /** {@link #load(ModuleSpec)} with the proxy's services (outbound calls, shared data, metrics, timers). */
    public static ProxyWasmModule load(ModuleSpec spec, HostServices services) {
        return ModuleLoader.load(spec, services);
    }

    public abstract String name();

    public abstract AbiVersion abiVersion();

    /**
     * Instances that broke on a trap and are not replaced (yet, or for good when their replacement failed); when
     * all are broken the module serves no request (health: DOWN).
     */
    public abstract int brokenInstanceCount();

    /** Whether the module has a request body callback; a module without one costs request bodies nothing. */
    public abstract boolean handlesRequestBody();

    /** Whether the module has a response body callback; a module without one costs response bodies nothing. */
    public abstract boolean handlesResponseBody();

    /** Which requests share an instance ({@link ModuleLimits#isolation()}). */
    public abstract Isolation isolation();

    /** Isolation stream: request instances ready in the pool right now (0 under none). */
    public abstract int pooledInstanceCount();

    /** Isolation stream: requests holding an instance of their own right now (0 under none). */
    public abstract int leasedInstanceCount();

    /** Isolation stream: request instances made since the module loaded (0 under none). */
    public abstract long requestInstancesMade();

    /** Isolation stream: requests that found the pool empty and waited for its refill (0 under none). */
    public abstract long poolWaits();

    /** Isolation stream: request instances that trapped, each failing only its own request (0 under none). */
    public abstract long requestInstanceTraps();

    /** Broken instances replaced by fresh ones since the module loaded. */
    public abstract long replacedInstanceCount();

    /** Healthy instances recycled (replaced after recycle-after-requests or recycle-at-memory) since loading. */
    public abstract long recycledInstanceCount();

    /** Per VM instance: requests served since it started, requests open, linear memory. */
    public abstract List<InstanceStats> instanceStats();

    /** What a failure of this module means for the request ({@link ModuleLimits#failurePolicy()}). */
    public abstract FailurePolicy failurePolicy();

    public abstract int instanceCount();

    /** The last trap that broke one of its instances, with the guest stack where known; null if none did. */
    public abstract String lastTrap();

    /**
     * Creates a plugin: a root context with this root id and configuration on every VM instance
     * (proxy_on_context_create, proxy_on_vm_start with the VM configuration in buffer 6, proxy_on_configure
     * with the plugin configuration in buffer 7). Waits only if a VM instance is busy on another thread; use
     * {@link #createPluginAsync} where even that must not happen.
     *
     * @param rootId the root id, null or "" for none
     * @throws ModuleLoadException when proxy_on_vm_start or proxy_on_configure returns false or traps; the
     *     message names the module, its location, the root id and the callback
     */
    public final Plugin createPlugin(String rootId, byte[] configuration) {
        try {
            return createPluginAsync(rootId, configuration).toCompletableFuture().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** {@link #createPlugin} without ever waiting: the stage fails with {@link ModuleLoadException}. */
    public abstract CompletionStage<Plugin> createPluginAsync(String rootId, byte[] configuration);

    /** Finishes every root context (proxy_on_done, proxy_on_delete) and drops the instances. */
    @Override
    public final void close() {
        openContexts.refuse();
        closeInstances();
    }

    /** {@link #close()} past the count of open contexts: the root contexts finished, the instances dropped. */
    protected abstract void closeInstances();

    /**
     * For a module replaced by a newer version: closes it as soon as its last open HTTP context has finished,
     * so requests in flight complete on the code they started with. Plugins of a retired module that is
     * closed create no more contexts.
     */
    public final void retire() {
        openContexts.retire();
    }

    /** Root contexts on the current VM instances (one per plugin and instance). */
    public abstract int rootContextCount();

    /**
     * Ends a plugin no route uses any more (see {@link Plugin#release()}): no instance (nor a replacement) gets its
     * root context again, and the root context on every instance is finished. Nothing when the module is closed.
     */
    protected abstract void releasePlugin(Plugin plugin);

    /** HTTP contexts created and not yet finished. */
    public final long openContextCount() {
        return openContexts.count();
    }

    OpenContexts openContexts() {
        return openContexts;
    }

    /** Whether the module is closed: its plugins open no more contexts. */
    protected abstract boolean isClosed();

    @Override
    public final String toString() {
        return "ProxyWasmModule[" + name() + ", ABI " + abiVersion() + ", " + instanceCount() + " instances]";
    }
}
