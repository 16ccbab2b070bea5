package io.wasmgateway.host.vm;

import io.wasmgateway.host.AbiVersion;
import io.wasmgateway.host.FailurePolicy;
import io.wasmgateway.host.HostServices;
import io.wasmgateway.host.InstanceStats;
import io.wasmgateway.host.Isolation;
import io.wasmgateway.host.ModuleLoadException;
import io.wasmgateway.host.ModuleSpec;
import io.wasmgateway.host.Plugin;
import io.wasmgateway.host.ProxyWasmModule;
import io.wasmgateway.host.abi.AbiContext;
import io.wasmgateway.host.abi.Limits;
import io.wasmgateway.host.abi.PluginInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loaded module ({@link ModuleLoader} loads it): its blueprint and its VM instances, created eagerly, and the
 * plugins created on them.
 *
 * <p>Its jobs are split: {@link InstanceRenewal} replaces broken instances and recycles healthy ones,
 * {@link RootLifecycle} creates and finishes the plugins' root contexts on every instance.
 */
final class ModuleRuntime extends ProxyWasmModule {

    private final ModuleIdentity identity;
    private final byte[] vmConfiguration;
    private final ModuleSpec spec;
    private final ModuleBlueprint blueprint;
    private final HostServices services;
    private final VmSlots slots;
    private final StreamPool pool; // isolation stream; null under none
    private final AtomicLong streamTraps = new AtomicLong();
    private final RootLifecycle roots;
    private final InstanceRenewal renewal;
    private final Recycler recycler;
    private volatile String lastTrap;
    private volatile boolean closed;

    ModuleRuntime(ModuleIdentity identity, byte[] vmConfiguration, ModuleSpec spec, ModuleBlueprint blueprint,
            HostServices services) {
        this.identity = identity;
        this.vmConfiguration = vmConfiguration;
        this.spec = spec;
        this.blueprint = blueprint;
        this.services = services;
        this.slots = new VmSlots(spec.instances());
        this.roots = new RootLifecycle(identity, vmConfiguration);
        this.renewal = new InstanceRenewal(this, identity, services, slots, roots);
        this.recycler = new Recycler(spec.limits(), renewal::scheduleRecycle);
        this.pool = spec.limits().isolation() == Isolation.STREAM
                ? new StreamPool(identity.name(), spec.instances(), this::newRequestInstance, RootLifecycle::retire)
                : null;
    }

    /** Creates the instances and fills isolation stream's pool; on a problem closes what it made. */
    void startInstances() {
        try {
            for (int i = 0; i < spec.instances(); i++) {
                slots.set(i, newInstance(i));
            }
            if (pool != null) {
                pool.fillNow();
            }
        } catch (LoadProblem problem) {
            closeInstances();
            throw problem;
        }
    }

    @Override
    public String name() {
        return identity.name();
    }

    @Override
    public AbiVersion abiVersion() {
        return identity.abi();
    }

    /** Whether the module exports proxy_on_request_body: if not, request bodies pass it untouched. */
    @Override
    public boolean handlesRequestBody() {
        return blueprint.functionExports().contains(GuestCallbacks.ON_REQUEST_BODY.exportName());
    }

    /** Whether the module exports proxy_on_response_body: if not, response bodies pass it untouched. */
    @Override
    public boolean handlesResponseBody() {
        return blueprint.functionExports().contains(GuestCallbacks.ON_RESPONSE_BODY.exportName());
    }

    /** A fresh instance for that slot (its breaking is the renewal's business). */
    VmInstance newInstance(int slot) {
        return VmFactory.create(blueprint, identity, spec.environment(), slot, services, spec.limits(),
                renewal::instanceBroke);
    }

    /** One of the instances broke: its reason is the module's last trap. */
    void trapped(String reason) {
        lastTrap = reason;
    }

    /**
     * On the pool's refill thread: a request instance with every plugin's root context. Its trap is its
     * request's alone: it is discarded after that request anyway.
     */
    private VmInstance newRequestInstance() {
        VmInstance fresh = VmFactory.create(blueprint, identity, spec.environment(), -1, services, spec.limits(),
                broken -> {
                    lastTrap = broken.brokenReason();
                    streamTraps.incrementAndGet();
                });
        String problem = roots.startAll(fresh);
        if (problem != null) {
            RootLifecycle.retire(fresh);
            throw new LoadProblem("a request instance could not start: " + problem);
        }
        return fresh;
    }

    /** Which requests share an instance. */
    @Override
    public Isolation isolation() {
        return spec.limits().isolation();
    }

    /** Isolation stream: request instances ready in the pool (0 under none). */
    @Override
    public int pooledInstanceCount() {
        return pool == null ? 0 : pool.readyCount();
    }

    /** Isolation stream: requests holding an instance of their own right now (0 under none). */
    @Override
    public int leasedInstanceCount() {
        return pool == null ? 0 : pool.leasedCount();
    }

    /** Isolation stream: request instances made since the module loaded (0 under none). */
    @Override
    public long requestInstancesMade() {
        return pool == null ? 0 : pool.madeCount();
    }

    /** Isolation stream: requests that found the pool empty and waited for its refill (0 under none). */
    @Override
    public long poolWaits() {
        return pool == null ? 0 : pool.waitedCount();
    }

    /** Isolation stream: request instances that broke (each failing only its own request). */
    @Override
    public long requestInstanceTraps() {
        return streamTraps.get();
    }

    /** How many slots hold a broken instance right now (awaiting replacement, or failed for good). */
    @Override
    public int brokenInstanceCount() {
        return slots.brokenCount();
    }

    @Override
    public int instanceCount() {
        return slots.size();
    }

    /** How many broken instances were replaced by fresh ones since the module loaded. */
    @Override
    public long replacedInstanceCount() {
        return renewal.replacedCount();
    }

    @Override
    public FailurePolicy failurePolicy() {
        return spec.limits().failurePolicy();
    }

    /** How many healthy instances were recycled (replaced after their request count or memory) since loading. */
    @Override
    public long recycledInstanceCount() {
        return renewal.recycledCount();
    }

    /** Per slot: the requests its current instance served since it started, and its linear memory. */
    @Override
    public List<InstanceStats> instanceStats() {
        List<InstanceStats> stats = new ArrayList<>(slots.size());
        for (VmInstance vm : instances()) {
            if (vm != null) {
                stats.add(new InstanceStats(vm.index(), vm.use().served(), vm.use().open(), vm.memoryBytes(),
                        vm.isBroken()));
            }
        }
        return stats;
    }

    /** The last trap that broke one of the instances: "callback: reason (guest stack: ...)", or null. */
    @Override
    public String lastTrap() {
        return lastTrap;
    }

    List<VmInstance> instances() {
        List<VmInstance> current = new ArrayList<>(slots.size());
        for (int i = 0; i < slots.size(); i++) {
            current.add(slots.get(i));
        }
        return current;
    }

    /**
     * Creates a root context on every VM instance: proxy_on_context_create, proxy_on_vm_start (VM configuration
     * in buffer 6), proxy_on_configure (plugin configuration in buffer 7). The stage fails with a
     * {@link ModuleLoadException} naming the module, the root id and the callback when one returns false or
     * traps.
     */
    @Override
    public CompletionStage<Plugin> createPluginAsync(String rootId, byte[] configuration) {
        return startPlugin(rootId, configuration).thenApply(plugin -> plugin);
    }

    /** {@link #createPluginAsync}, for the VM package's own tests too. */
    CompletableFuture<PluginRuntime> startPlugin(String rootId, byte[] configuration) {
        String effectiveRootId = rootId == null ? "" : rootId;
        byte[] config = configuration == null ? new byte[0] : configuration;
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("wasm module '" + identity.name()
                    + "' is closed"));
        }
        if (config.length > Limits.MAX_CONFIGURATION_BYTES) {
            return CompletableFuture.failedFuture(identity.loadError(rootLabel(effectiveRootId)
                    + ": the plugin configuration is larger than " + Limits.MAX_CONFIGURATION_BYTES + " bytes", null));
        }
        PluginInfo info = new PluginInfo(identity.name(), effectiveRootId, identity.vmId());
        PluginRuntime plugin = new PluginRuntime(info, config, slots, recycler, pool, this);
        List<VmInstance> vms = healthyInstancesOrAll();
        List<CompletableFuture<RootLifecycle.RootStart>> starts = new ArrayList<>(vms.size());
        for (VmInstance vm : vms) {
            starts.add(vm.runRootWork(GuestCallbacks.ON_CONTEXT_CREATE, AbiContext.NONE,
                    () -> roots.startRoot(vm, plugin), null));
        }
        return CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).handle((ignored, error) -> {
            String failure = null;
            Throwable cause = null;
            for (CompletableFuture<RootLifecycle.RootStart> start : starts) {
                RootLifecycle.RootStart result = start
                    .exceptionally(e -> new RootLifecycle.RootStart(null, null, Traps.unwrap(e))).join();
                if (failure == null && result.refusedBy() != null) {
                    failure = result.refusedBy() + " returned false";
                } else if (failure == null && result.trap() != null) {
                    failure = withoutModulePrefix(result.trap().getMessage());
                    cause = result.trap();
                }
            }
            if (failure != null) {
                roots.discard(plugin, instances());
                throw new CompletionException(identity.loadError(rootLabel(effectiveRootId) + ": " + failure, cause));
            }
            roots.add(plugin);
            instances().forEach(roots::addMissing); // instances replaced meanwhile, or skipped as broken
            if (pool != null) {
                pool.pluginAdded(); // its instances lack this plugin's root context
            }
            return plugin;
        });
    }

    /** The instances not broken (a broken one gets the plugin when it is replaced); all when every one is. */
    private List<VmInstance> healthyInstancesOrAll() {
        List<VmInstance> all = instances();
        List<VmInstance> healthy = all.stream().filter(vm -> !vm.isBroken()).toList();
        return healthy.isEmpty() ? all : healthy;
    }

    /**
     * Releases a plugin no route uses any more: no instance (nor a replacement) gets its root context again, and
     * the root context on every instance is finished ({@link RootRelease}).
     */
    @Override
    protected void releasePlugin(Plugin plugin) {
        if (!closed) {
            roots.release((PluginRuntime) plugin, instances());
        }
    }

    /** How many root contexts the module's current instances hold. */
    @Override
    public int rootContextCount() {
        int count = 0;
        for (VmInstance vm : instances()) {
            count += vm == null ? 0 : vm.rootCount();
        }
        return count;
    }

    /** Finishes every root context (proxy_on_done, proxy_on_delete) and releases the instances. */
    @Override
    protected void closeInstances() {
        if (closed) {
            return;
        }
        closed = true;
        if (pool != null) {
            pool.close();
        }
        List<VmInstance> all = instances();
        all.addAll(renewal.takeDraining());
        for (VmInstance vm : all) {
            if (vm != null) {
                roots.finishInstance(vm);
            }
        }
    }

    @Override
    protected boolean isClosed() {
        return closed;
    }

    /** "wasm module 'x' trapped in ..." becomes "trapped in ...": the load error names the module itself. */
    private String withoutModulePrefix(String message) {
        String prefix = "wasm module '" + identity.name() + "' ";
        return message != null && message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    private static String rootLabel(String rootId) {
        return "plugin with root id '" + rootId + "'";
    }
}
