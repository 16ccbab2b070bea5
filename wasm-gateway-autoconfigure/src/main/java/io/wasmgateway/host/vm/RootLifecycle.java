package io.wasmgateway.host.vm;

import io.wasmgateway.host.abi.AbiContext;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The root contexts of a module's plugins on its instances: created on every instance a plugin gets (its own, a
 * replacement, a recycled one's successor, a request instance), and finished when the plugin is released or the
 * instance goes (proxy_on_done, proxy_on_delete).
 */
final class RootLifecycle {

    private final ModuleIdentity identity;
    private final byte[] vmConfiguration;
    private final List<PluginRuntime> plugins = new CopyOnWriteArrayList<>();

    RootLifecycle(ModuleIdentity identity, byte[] vmConfiguration) {
        this.identity = identity;
        this.vmConfiguration = vmConfiguration;
    }

    /** A plugin whose root contexts started: every instance made from now on gets one. */
    void add(PluginRuntime plugin) {
        plugins.add(plugin);
    }

    /**
     * Releases a plugin no route uses any more: no instance (nor a replacement) gets its root context again, and
     * the root context on every instance is finished ({@link RootRelease}).
     */
    void release(PluginRuntime plugin, List<VmInstance> instances) {
        plugins.remove(plugin);
        for (VmInstance vm : instances) {
            if (vm != null) {
                RootRelease.release(vm, plugin);
            }
        }
    }

    record RootStart(RootContext root, String refusedBy, Throwable trap) {
    }

    /** Creates every plugin's root context on a fresh instance (run inline: its lane is free); null, or what failed. */
    String startAll(VmInstance fresh) {
        for (PluginRuntime plugin : plugins) {
            RootStart start = fresh.runRootWork(GuestCallbacks.ON_CONTEXT_CREATE, AbiContext.NONE,
                    () -> startRoot(fresh, plugin), null).exceptionally(e -> new RootStart(null, null, Traps.unwrap(e)))
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

    /** Creates the root contexts a healthy instance lacks (a plugin created while it was being made). */
    void addMissing(VmInstance vm) {
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
    RootStart startRoot(VmInstance vm, PluginRuntime plugin) {
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
    void discard(PluginRuntime plugin, List<VmInstance> instances) {
        for (VmInstance vm : instances) {
            RootContext root = vm.rootOf(plugin);
            if (root != null) {
                vm.removeRoot(plugin);
                vm.runRootWork(GuestCallbacks.ON_DONE, root, () -> finishRoot(vm, root), () -> null);
            }
        }
    }

    /** Finishes the instance's root contexts (proxy_on_done, proxy_on_delete), stops its work and releases it. */
    void finishInstance(VmInstance vm) {
        vm.runRootWork(GuestCallbacks.ON_DONE, AbiContext.NONE, () -> {
            for (PluginRuntime plugin : plugins) {
                RootContext root = vm.rootOf(plugin);
                if (root != null) {
                    vm.setEffectiveContext(root.id());
                    finishRoot(vm, root);
                }
            }
            return stopWork(vm);
        }, () -> stopWork(vm)).whenComplete((ignored, error) -> vm.close());
    }

    /** Stops what the instance still has going (timers, calls, queue listeners) and releases it. */
    static void retire(VmInstance vm) {
        vm.run(GuestCallbacks.ON_DONE, AbiContext.NONE, () -> stopWork(vm), () -> stopWork(vm))
            .whenComplete((ignored, error) -> vm.close());
    }

    private static Void stopWork(VmInstance vm) {
        vm.stopBackgroundWork();
        return null;
    }

    private static Void finishRoot(VmInstance vm, RootContext root) {
        root.stopTick();
        vm.call(GuestCallbacks.ON_DONE, root.id());
        vm.call(GuestCallbacks.ON_DELETE, root.id());
        vm.unregister(root.id());
        return null;
    }
}
