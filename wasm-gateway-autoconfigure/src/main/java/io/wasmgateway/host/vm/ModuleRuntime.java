package io.wasmgateway.host.vm;

import io.wasmgateway.host.ModuleLoadException;
import io.wasmgateway.host.FailurePolicy;
import io.wasmgateway.host.HostServices;
import io.wasmgateway.host.InstanceStats;
import io.wasmgateway.host.Isolation;
import io.wasmgateway.host.ModuleSpec;
import io.wasmgateway.host.abi.AbiContext;
import io.wasmgateway.host.abi.Limits;
import io.wasmgateway.host.abi.PluginInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.LoggerFactory;

/**
 * A loaded module: its blueprint and its VM instances, created eagerly, and the plugins created on them.
 * Loading problems become {@link ModuleLoadException}s naming the module, its location and the reason.
 *
 * <p>An instance that breaks (a trap, a call past its budget) is replaced: a fresh instance is made from the
 * compiled blueprint on the timer thread (never on an event loop), every plugin's root context is created on it
 * (proxy_on_context_create, proxy_on_vm_start, proxy_on_configure), and only then does it take the broken
 * one's slot. Under {@link FailurePolicy#FAIL_RELOAD} a replacement that fails, or an instance that breaks
 * before serving a single callback, is retried after a pause that doubles each time ({@link ReloadBackoff});
 * under the other policies a replacement that fails leaves the slot failed.
 *
 * <p>An instance due for recycling ({@link Recycler}) is replaced the same way, but gracefully: once the fresh
 * instance has taken its slot, the old one finishes the requests it has open, then its root contexts, and is
 * released.
 */
public final class ModuleRuntime {

    private final ModuleIdentity identity;
    private final byte[] vmConfiguration;
    private final ModuleSpec spec;
    private final ModuleBlueprint blueprint;
    private final HostServices services;
    private final VmSlots slots;
    private final StreamPool pool; // isolation stream; null under none
    private final AtomicLong streamTraps = new AtomicLong();
    private final List<PluginRuntime> plugins = new CopyOnWriteArrayList<>();
    private final AtomicLong replaced = new AtomicLong();
    private final AtomicLong recycled = new AtomicLong();
    private final Recycler recycler;
    private final Set<VmInstance> draining = ConcurrentHashMap.newKeySet(); // recycled, finishing their requests
    private volatile String lastTrap;
    private volatile boolean closed;

    private ModuleRuntime(ModuleIdentity identity, byte[] vmConfiguration, ModuleSpec spec, ModuleBlueprint blueprint,
            HostServices services) {
        this.identity = identity;
        this.vmConfiguration = vmConfiguration;
        this.spec = spec;
        this.blueprint = blueprint;
        this.services = services;
        this.slots = new VmSlots(spec.instances());
        this.recycler = new Recycler(spec.limits(), this::scheduleRecycle);
        this.pool = spec.limits().isolation() == Isolation.STREAM
                ? new StreamPool(identity.name(), spec.instances(), this::newRequestInstance, ModuleRuntime::retire)
                : null;
    }

    public static ModuleRuntime load(ModuleSpec spec, HostServices services) {
        String vmId = spec.vmId() == null || spec.vmId().isEmpty() ? spec.name() : spec.vmId();
        byte[] vmConfiguration = spec.vmConfiguration() == null ? new byte[0] : spec.vmConfiguration();
        ModuleIdentity identity = null;
        try {
            if (spec.bytes() == null) {
                throw new LoadProblem("no module bytes");
            }
            if (vmConfiguration.length > Limits.MAX_CONFIGURATION_BYTES) {
                throw new LoadProblem("the VM configuration is larger than " + Limits.MAX_CONFIGURATION_BYTES
                        + " bytes");
            }
            ModuleBlueprint blueprint = ModuleBlueprint.of(spec.bytes(), spec.engine(), spec.limits().maxMemoryPages(),
                    spec.precompiled());
            identity = new ModuleIdentity(spec.name(), spec.location(), vmId, blueprint.abi(),
                    LoggerFactory.getLogger("wasm." + spec.name()));
            ModuleRuntime runtime = new ModuleRuntime(identity, vmConfiguration, spec, blueprint, services);
            try {
                for (int i = 0; i < spec.instances(); i++) {
                    runtime.slots.set(i, runtime.newInstance(i));
                }
                if (runtime.pool != null) {
                    runtime.pool.fillNow();
                }
            } catch (LoadProblem problem) {
                runtime.close();
                throw problem;
            }
            return runtime;
        } catch (LoadProblem problem) {
            throw new ModuleLoadException("wasm module '" + spec.name() + "' (" + spec.location() + "): "
                    + problem.getMessage(), problem.getCause());
        }
    }

    public ModuleIdentity identity() {
        return identity;
    }

    /** Whether the module exports proxy_on_request_body: if not, request bodies pass it untouched. */
    public boolean handlesRequestBody() {
        return blueprint.functionExports().contains(GuestCallbacks.ON_REQUEST_BODY.exportName());
    }

    /** Whether the module exports proxy_on_response_body: if not, response bodies pass it untouched. */
    public boolean handlesResponseBody() {
        return blueprint.functionExports().contains(GuestCallbacks.ON_RESPONSE_BODY.exportName());
    }

    private VmInstance newInstance(int slot) {
        return VmFactory.create(blueprint, identity, spec.environment(), slot, services, spec.limits(),
                this::instanceBroke);
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
        String problem = startRoots(fresh);
        if (problem != null) {
            retire(fresh);
            throw new LoadProblem("a request instance could not start: " + problem);
        }
        return fresh;
    }

    /** Which requests share an instance. */
    public Isolation isolation() {
        return spec.limits().isolation();
    }

    /** Isolation stream: request instances ready in the pool (0 under none). */
    public int pooledInstanceCount() {
        return pool == null ? 0 : pool.readyCount();
    }

    /** Isolation stream: requests holding an instance of their own right now (0 under none). */
    public int leasedInstanceCount() {
        return pool == null ? 0 : pool.leasedCount();
    }

    /** Isolation stream: request instances made since the module loaded (0 under none). */
    public long requestInstancesMade() {
        return pool == null ? 0 : pool.madeCount();
    }

    /** Isolation stream: requests that found the pool empty and waited for its refill (0 under none). */
    public long poolWaits() {
        return pool == null ? 0 : pool.waitedCount();
    }

    /** Isolation stream: request instances that broke (each failing only its own request). */
    public long requestInstanceTraps() {
        return streamTraps.get();
    }

    /** How many slots hold a broken instance right now (awaiting replacement, or failed for good). */
    public int brokenInstanceCount() {
        return slots.brokenCount();
    }

    public int instanceCount() {
        return slots.size();
    }

    /** How many broken instances were replaced by fresh ones since the module loaded. */
    public long replacedInstanceCount() {
        return replaced.get();
    }

    public FailurePolicy failurePolicy() {
        return spec.limits().failurePolicy();
    }

    /** How many healthy instances were recycled (replaced after their request count or memory) since loading. */
    public long recycledInstanceCount() {
        return recycled.get();
    }

    /** Per slot: the requests its current instance served since it started, and its linear memory. */
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

    // ---- replacing broken instances ----

    /** On the broken instance's lane, right after the trap: schedules its replacement. */
    private void instanceBroke(VmInstance broken) {
        if (closed || !slots.isCurrent(broken)) {
            return; // shutting down, or an instance still being made: its maker deals with it
        }
        lastTrap = broken.brokenReason();
        int failures = broken.servedCallback() ? 1 : broken.failuresBefore() + 1;
        scheduleRenewal(broken, failures);
    }

    private void scheduleRenewal(VmInstance broken, int failures) {
        long delay = failurePolicy() == FailurePolicy.FAIL_RELOAD ? ReloadBackoff.delayMillis(failures) : 0;
        try {
            services.scheduler().schedule(() -> renew(broken, failures), delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            identity.logger().warn("VM instance {} of wasm module '{}' cannot be replaced: the timer thread is gone",
                    broken.index(), identity.name());
        }
    }

    /** On the timer thread: makes a fresh instance with every plugin's root context, then swaps it in. */
    private void renew(VmInstance broken, int failures) {
        if (closed) {
            return;
        }
        VmInstance fresh = null;
        String problem;
        try {
            fresh = newInstance(broken.index());
            problem = startRoots(fresh);
            fresh.failuresBefore(failures);
        } catch (LoadProblem e) {
            problem = e.getMessage();
        }
        if (problem == null && !closed && slots.replace(broken.index(), broken, fresh)) {
            replaced.incrementAndGet();
            identity.logger().info("VM instance {} of wasm module '{}' replaced by a fresh instance", broken.index(),
                    identity.name());
            retire(broken);
            addMissingRoots(fresh);
            return;
        }
        if (fresh != null) {
            retire(fresh);
        }
        if (closed) {
            return;
        }
        if (failurePolicy() == FailurePolicy.FAIL_RELOAD) {
            identity.logger().error("VM instance {} of wasm module '{}' could not be replaced ({}); retrying in {} ms",
                    broken.index(), identity.name(), problem, ReloadBackoff.delayMillis(failures + 1));
            scheduleRenewal(broken, failures + 1);
        } else {
            identity.logger().error("VM instance {} of wasm module '{}' could not be replaced ({}); it stays failed",
                    broken.index(), identity.name(), problem);
        }
    }

    // ---- recycling healthy instances ----

    /** From the thread that opened the context that made it due: the replacement is made on the timer thread. */
    private void scheduleRecycle(VmInstance old, String reason) {
        try {
            services.scheduler().execute(() -> recycle(old, reason));
        } catch (RejectedExecutionException e) {
            identity.logger().warn("VM instance {} of wasm module '{}' cannot be recycled: the timer thread is gone",
                    old.index(), identity.name());
        }
    }

    /** On the timer thread: a fresh instance with every plugin's root context takes the slot; the old drains. */
    private void recycle(VmInstance old, String reason) {
        if (closed || old.isBroken() || !slots.isCurrent(old)) {
            return; // broken meanwhile: the renewal replaces it
        }
        VmInstance fresh = null;
        String problem;
        try {
            fresh = newInstance(old.index());
            problem = startRoots(fresh);
            fresh.failuresBefore(0);
        } catch (LoadProblem e) {
            problem = e.getMessage();
        }
        if (problem == null && !closed && slots.replace(old.index(), old, fresh)) {
            recycled.incrementAndGet();
            services.observer().recycled(identity.name(), reason);
            identity.logger().info("VM instance {} of wasm module '{}' recycled after {} requests ({} bytes of "
                    + "memory): a fresh instance takes new requests", old.index(), identity.name(),
                    old.use().served(), old.memoryBytes());
            addMissingRoots(fresh);
            draining.add(old);
            old.use().drain(() -> finishDrained(old));
            return;
        }
        if (fresh != null) {
            retire(fresh);
        }
        if (problem != null) {
            identity.logger().error("VM instance {} of wasm module '{}' could not be recycled ({}); it keeps serving",
                    old.index(), identity.name(), problem);
        }
    }

    /** Once its last request finished (on that request's thread): the old instance is finished off the loop. */
    private void finishDrained(VmInstance old) {
        Runnable finish = () -> {
            if (draining.remove(old)) {
                finishInstance(old);
            }
        };
        try {
            services.scheduler().execute(finish);
        } catch (RejectedExecutionException e) {
            finish.run(); // the application stops
        }
    }

    /** Creates every plugin's root context on a fresh instance (run inline: its lane is free). */
    private String startRoots(VmInstance fresh) {
        for (PluginRuntime plugin : plugins) {
            RootStart start = fresh.runRootWork(GuestCallbacks.ON_CONTEXT_CREATE, AbiContext.NONE,
                    () -> startRoot(fresh, plugin), null).exceptionally(e -> new RootStart(null, null, unwrap(e)))
                .join(); // already complete: the lane of an instance nobody else knows ran it on this thread
            if (start.refusedBy() != null) {
                return "plugin with root id '" + plugin.rootId() + "': " + start.refusedBy() + " returned false";
            }
            if (start.trap() != null) {
                return "plugin with root id '" + plugin.rootId() + "': " + start.trap().getMessage();
            }
        }
        return null;
    }

    /** Stops what the instance still has going (timers, calls, queue listeners) and releases it. */
    private static void retire(VmInstance vm) {
        vm.run(GuestCallbacks.ON_DONE, AbiContext.NONE, () -> {
            vm.stopBackgroundWork();
            return null;
        }, () -> {
            vm.stopBackgroundWork();
            return null;
        }).whenComplete((ignored, error) -> vm.close());
    }

    /**
     * Creates a root context on every VM instance: proxy_on_context_create, proxy_on_vm_start (VM configuration
     * in buffer 6), proxy_on_configure (plugin configuration in buffer 7). The stage fails with a
     * {@link ModuleLoadException} naming the module, the root id and the callback when one returns false or
     * traps.
     */
    public CompletableFuture<PluginRuntime> createPlugin(String rootId, byte[] configuration) {
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
        List<CompletableFuture<RootStart>> starts = new ArrayList<>(vms.size());
        for (VmInstance vm : vms) {
            starts.add(vm.runRootWork(GuestCallbacks.ON_CONTEXT_CREATE, AbiContext.NONE,
                    () -> startRoot(vm, plugin), null));
        }
        return CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).handle((ignored, error) -> {
            String failure = null;
            Throwable cause = null;
            for (CompletableFuture<RootStart> start : starts) {
                RootStart result = start.exceptionally(e -> new RootStart(null, null, unwrap(e))).join();
                if (failure == null && result.refusedBy() != null) {
                    failure = result.refusedBy() + " returned false";
                } else if (failure == null && result.trap() != null) {
                    failure = withoutModulePrefix(result.trap().getMessage());
                    cause = result.trap();
                }
            }
            if (failure != null) {
                discard(plugin);
                throw new CompletionException(identity.loadError(rootLabel(effectiveRootId) + ": " + failure, cause));
            }
            plugins.add(plugin);
            instances().forEach(this::addMissingRoots); // instances replaced meanwhile, or skipped as broken
            if (pool != null) {
                pool.pluginAdded(); // its instances lack this plugin's root context
            }
            return plugin;
        });
    }

    private record RootStart(RootContext root, String refusedBy, Throwable trap) {
    }

    /** The instances not broken (a broken one gets the plugin when it is replaced); all when every one is. */
    private List<VmInstance> healthyInstancesOrAll() {
        List<VmInstance> all = instances();
        List<VmInstance> healthy = all.stream().filter(vm -> !vm.isBroken()).toList();
        return healthy.isEmpty() ? all : healthy;
    }

    /** Creates the root contexts a healthy instance lacks (a plugin created while it was being made). */
    private void addMissingRoots(VmInstance vm) {
        for (PluginRuntime plugin : plugins) {
            if (!vm.isBroken() && vm.rootOf(plugin) == null) {
                vm.runRootWork(GuestCallbacks.ON_CONTEXT_CREATE, AbiContext.NONE,
                        () -> vm.rootOf(plugin) == null ? startRoot(vm, plugin) : null, () -> null)
                    .whenComplete((start, error) -> {
                        if (error != null || (start != null && start.refusedBy() != null)) {
                            identity.logger().error("plugin with root id '{}' could not start on VM instance {} of "
                                    + "wasm module '{}'", plugin.rootId(), vm.index(), identity.name());
                        }
                    });
            }
        }
    }

    /** On the lane of {@code vm}. */
    private RootStart startRoot(VmInstance vm, PluginRuntime plugin) {
        byte[] configuration = plugin.configuration();
        RootContext root = new RootContext(vm.nextContextId(), plugin.info(), vmConfiguration, configuration);
        vm.register(root);
        vm.setEffectiveContext(root.id());
        vm.call(GuestCallbacks.ON_CONTEXT_CREATE, root.id(), 0);
        root.inVmStart(true);
        Integer started = vm.call(GuestCallbacks.ON_VM_START, root.id(), vmConfiguration.length);
        root.inVmStart(false);
        if (started != null && started == 0) {
            vm.unregister(root.id());
            return new RootStart(null, GuestCallbacks.ON_VM_START.exportName(), null);
        }
        Integer configured = vm.call(GuestCallbacks.ON_CONFIGURE, root.id(), configuration.length);
        if (configured != null && configured == 0) {
            vm.unregister(root.id());
            return new RootStart(null, GuestCallbacks.ON_CONFIGURE.exportName(), null);
        }
        vm.addRoot(plugin, root);
        return new RootStart(root, null, null);
    }

    /** Finishes the plugin's root contexts that did start when another VM refused it. */
    private void discard(PluginRuntime plugin) {
        for (VmInstance vm : instances()) {
            RootContext root = vm.rootOf(plugin);
            if (root != null) {
                vm.removeRoot(plugin);
                vm.runRootWork(GuestCallbacks.ON_DONE, root, () -> finishRoot(vm, root), () -> null);
            }
        }
    }

    /**
     * Releases a plugin no route uses any more: no instance (nor a replacement) gets its root context again, and
     * the root context on every instance is finished ({@link RootRelease}).
     */
    public void releasePlugin(PluginRuntime plugin) {
        plugins.remove(plugin);
        for (VmInstance vm : instances()) {
            if (vm != null) {
                RootRelease.release(vm, plugin);
            }
        }
    }

    /** How many root contexts the module's current instances hold. */
    public int rootContextCount() {
        int count = 0;
        for (VmInstance vm : instances()) {
            count += vm == null ? 0 : vm.rootCount();
        }
        return count;
    }

    /** Finishes every root context (proxy_on_done, proxy_on_delete) and releases the instances. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (pool != null) {
            pool.close();
        }
        List<VmInstance> all = instances();
        all.addAll(draining);
        draining.clear();
        for (VmInstance vm : all) {
            if (vm != null) {
                finishInstance(vm);
            }
        }
    }

    /** Finishes the instance's root contexts (proxy_on_done, proxy_on_delete), stops its work and releases it. */
    private void finishInstance(VmInstance vm) {
        vm.runRootWork(GuestCallbacks.ON_DONE, AbiContext.NONE, () -> {
            for (PluginRuntime plugin : plugins) {
                RootContext root = vm.rootOf(plugin);
                if (root != null) {
                    vm.setEffectiveContext(root.id());
                    finishRoot(vm, root);
                }
            }
            vm.stopBackgroundWork();
            return null;
        }, () -> {
            vm.stopBackgroundWork();
            return null;
        }).whenComplete((ignored, error) -> vm.close());
    }

    public boolean isClosed() {
        return closed;
    }

    private static Void finishRoot(VmInstance vm, RootContext root) {
        root.stopTick();
        vm.call(GuestCallbacks.ON_DONE, root.id());
        vm.call(GuestCallbacks.ON_DELETE, root.id());
        vm.unregister(root.id());
        return null;
    }

    /** "wasm module 'x' trapped in ..." becomes "trapped in ...": the load error names the module itself. */
    private String withoutModulePrefix(String message) {
        String prefix = "wasm module '" + identity.name() + "' ";
        return message != null && message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    private static String rootLabel(String rootId) {
        return "plugin with root id '" + rootId + "'";
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
