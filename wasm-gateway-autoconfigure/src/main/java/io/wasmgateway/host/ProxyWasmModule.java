package io.wasmgateway.host;

import io.wasmgateway.host.vm.ModuleRuntime;

import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * A loaded Proxy-Wasm module: parsed and validated once, compiled once, with its pool of VM instances created
 * eagerly (each linked and started with _initialize/main or _start). Plugins (root contexts with
 * proxy_on_vm_start and proxy_on_configure) are created on every instance by {@link #createPlugin}.
 */
public final class ProxyWasmModule implements AutoCloseable {

    private final ModuleRuntime runtime;

    private final OpenContexts openContexts = new OpenContexts(this::close);

    private ProxyWasmModule(ModuleRuntime runtime) {
        this.runtime = runtime;
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
        return new ProxyWasmModule(ModuleRuntime.load(spec, services));
    }

    public String name() {
        return runtime.identity().name();
    }

    public AbiVersion abiVersion() {
        return runtime.identity().abi();
    }

    /**
     * Instances that broke on a trap and are not replaced (yet, or for good when their replacement failed); when
     * all are broken the module serves no request (health: DOWN).
     */
    public int brokenInstanceCount() {
        return runtime.brokenInstanceCount();
    }

    /** Whether the module has a request body callback; a module without one costs request bodies nothing. */
    public boolean handlesRequestBody() {
        return runtime.handlesRequestBody();
    }

    /** Whether the module has a response body callback; a module without one costs response bodies nothing. */
    public boolean handlesResponseBody() {
        return runtime.handlesResponseBody();
    }

    /** Which requests share an instance ({@link ModuleLimits#isolation()}). */
    public Isolation isolation() {
        return runtime.isolation();
    }

    /** Isolation stream: request instances ready in the pool right now (0 under none). */
    public int pooledInstanceCount() {
        return runtime.pooledInstanceCount();
    }

    /** Isolation stream: requests holding an instance of their own right now (0 under none). */
    public int leasedInstanceCount() {
        return runtime.leasedInstanceCount();
    }

    /** Isolation stream: request instances made since the module loaded (0 under none). */
    public long requestInstancesMade() {
        return runtime.requestInstancesMade();
    }

    /** Isolation stream: requests that found the pool empty and waited for its refill (0 under none). */
    public long poolWaits() {
        return runtime.poolWaits();
    }

    /** Isolation stream: request instances that trapped, each failing only its own request (0 under none). */
    public long requestInstanceTraps() {
        return runtime.requestInstanceTraps();
    }

    /** Broken instances replaced by fresh ones since the module loaded. */
    public long replacedInstanceCount() {
        return runtime.replacedInstanceCount();
    }

    /** Healthy instances recycled (replaced after recycle-after-requests or recycle-at-memory) since loading. */
    public long recycledInstanceCount() {
        return runtime.recycledInstanceCount();
    }

    /** Per VM instance: requests served since it started, requests open, linear memory. */
    public List<InstanceStats> instanceStats() {
        return runtime.instanceStats();
    }

    /** What a failure of this module means for the request ({@link ModuleLimits#failurePolicy()}). */
    public FailurePolicy failurePolicy() {
        return runtime.failurePolicy();
    }

    public int instanceCount() {
        return runtime.instanceCount();
    }

    /** The last trap that broke one of its instances, with the guest stack where known; null if none did. */
    public String lastTrap() {
        return runtime.lastTrap();
    }

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
    public Plugin createPlugin(String rootId, byte[] configuration) {
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
    public CompletionStage<Plugin> createPluginAsync(String rootId, byte[] configuration) {
        return runtime.createPlugin(rootId, configuration).thenApply(plugin -> new Plugin(this, plugin));
    }

    /** Finishes every root context (proxy_on_done, proxy_on_delete) and drops the instances. */
    @Override
    public void close() {
        openContexts.refuse();
        runtime.close();
    }

    /**
     * For a module replaced by a newer version: closes it as soon as its last open HTTP context has finished,
     * so requests in flight complete on the code they started with. Plugins of a retired module that is
     * closed create no more contexts.
     */
    public void retire() {
        openContexts.retire();
    }

    /** Root contexts on the current VM instances (one per plugin and instance). */
    public int rootContextCount() {
        return runtime.rootContextCount();
    }

    /** See {@link Plugin#release()}. */
    void releasePlugin(io.wasmgateway.host.vm.PluginRuntime plugin) {
        if (!isClosed()) {
            runtime.releasePlugin(plugin);
        }
    }

    /** HTTP contexts created and not yet finished. */
    public long openContextCount() {
        return openContexts.count();
    }

    OpenContexts openContexts() {
        return openContexts;
    }

    boolean isClosed() {
        return runtime.isClosed();
    }

    @Override
    public String toString() {
        return "ProxyWasmModule[" + name() + ", ABI " + abiVersion() + ", " + instanceCount() + " instances]";
    }
}
