package io.wasmgateway.host.vm;

import io.wasmgateway.host.ModuleLoadException;
import io.wasmgateway.host.HostServices;
import io.wasmgateway.host.ModuleSpec;
import io.wasmgateway.host.abi.AbiContext;
import io.wasmgateway.host.abi.Limits;
import io.wasmgateway.host.abi.PluginInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.LoggerFactory;

/**
 * A loaded module: its blueprint and its VM instances, created eagerly, and the plugins created on them.
 * Loading problems become {@link ModuleLoadException}s naming the module, its location and the reason.
 */
public final class ModuleRuntime {

    private final ModuleIdentity identity;
    private final byte[] vmConfiguration;
    private final List<VmInstance> vms;
    private final List<PluginRuntime> plugins = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private ModuleRuntime(ModuleIdentity identity, byte[] vmConfiguration, List<VmInstance> vms) {
        this.identity = identity;
        this.vmConfiguration = vmConfiguration;
        this.vms = vms;
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
            ModuleBlueprint blueprint = ModuleBlueprint.of(spec.bytes(), spec.engine(), spec.precompiled());
            identity = new ModuleIdentity(spec.name(), spec.location(), vmId, blueprint.abi(),
                    LoggerFactory.getLogger("wasm." + spec.name()));
            List<VmInstance> vms = new ArrayList<>(spec.instances());
            for (int i = 0; i < spec.instances(); i++) {
                vms.add(VmFactory.create(blueprint, identity, spec.environment(), i, services));
            }
            return new ModuleRuntime(identity, vmConfiguration, List.copyOf(vms));
        } catch (LoadProblem problem) {
            throw new ModuleLoadException("wasm module '" + spec.name() + "' (" + spec.location() + "): "
                    + problem.getMessage(), problem.getCause());
        }
    }

    public ModuleIdentity identity() {
        return identity;
    }

    /** How many instances broke on a trap (and are no longer trusted with callbacks). */
    public int brokenInstanceCount() {
        return (int) vms.stream().filter(VmInstance::isBroken).count();
    }

    public int instanceCount() {
        return vms.size();
    }

    List<VmInstance> instances() {
        return vms;
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
        List<CompletableFuture<RootStart>> starts = new ArrayList<>(vms.size());
        for (VmInstance vm : vms) {
            starts.add(vm.run(GuestCallbacks.ON_CONTEXT_CREATE, AbiContext.NONE,
                    () -> startRoot(vm, info, config), null));
        }
        return CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).handle((ignored, error) -> {
            List<RootContext> roots = new ArrayList<>(vms.size());
            String failure = null;
            Throwable cause = null;
            for (CompletableFuture<RootStart> start : starts) {
                RootStart result = start.exceptionally(e -> new RootStart(null, null, unwrap(e))).join();
                roots.add(result.root());
                if (failure == null && result.refusedBy() != null) {
                    failure = result.refusedBy() + " returned false";
                } else if (failure == null && result.trap() != null) {
                    failure = withoutModulePrefix(result.trap().getMessage());
                    cause = result.trap();
                }
            }
            if (failure != null) {
                discard(roots);
                throw new CompletionException(identity.loadError(rootLabel(effectiveRootId) + ": " + failure, cause));
            }
            PluginRuntime plugin = new PluginRuntime(effectiveRootId, vms, List.copyOf(roots));
            plugins.add(plugin);
            return plugin;
        });
    }

    private record RootStart(RootContext root, String refusedBy, Throwable trap) {
    }

    /** On the lane of {@code vm}. */
    private RootStart startRoot(VmInstance vm, PluginInfo info, byte[] configuration) {
        RootContext root = new RootContext(vm.nextContextId(), info, vmConfiguration, configuration);
        vm.register(root);
        vm.setEffectiveContext(root.id());
        vm.call(GuestCallbacks.ON_CONTEXT_CREATE, root.id(), 0);
        root.inVmStart(true);
        Integer started = vm.call(GuestCallbacks.ON_VM_START, root.id(), vmConfiguration.length);
        root.inVmStart(false);
        if (started != null && started == 0) {
            vm.unregister(root.id());
            return new RootStart(null, GuestCallbacks.ON_VM_START, null);
        }
        Integer configured = vm.call(GuestCallbacks.ON_CONFIGURE, root.id(), configuration.length);
        if (configured != null && configured == 0) {
            vm.unregister(root.id());
            return new RootStart(null, GuestCallbacks.ON_CONFIGURE, null);
        }
        return new RootStart(root, null, null);
    }

    /** Finishes the root contexts that did start when another VM refused the plugin. */
    private void discard(List<RootContext> roots) {
        for (int i = 0; i < roots.size(); i++) {
            RootContext root = roots.get(i);
            if (root != null) {
                VmInstance vm = vms.get(i);
                vm.run(GuestCallbacks.ON_DONE, root, () -> finishRoot(vm, root), () -> null);
            }
        }
    }

    /** Finishes every root context (proxy_on_done, proxy_on_delete) and releases the instances. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (VmInstance vm : vms) {
            vm.run(GuestCallbacks.ON_DONE, AbiContext.NONE, () -> {
                for (PluginRuntime plugin : plugins) {
                    RootContext root = plugin.rootOn(vm.index());
                    vm.setEffectiveContext(root.id());
                    finishRoot(vm, root);
                }
                vm.stopBackgroundWork();
                return null;
            }, () -> null).whenComplete((ignored, error) -> vm.close());
        }
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
