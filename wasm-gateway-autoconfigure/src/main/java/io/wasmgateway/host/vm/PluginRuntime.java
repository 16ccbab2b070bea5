package io.wasmgateway.host.vm;

import io.wasmgateway.host.FailurePolicy;
import io.wasmgateway.host.HttpContext;
import io.wasmgateway.host.Plugin;
import io.wasmgateway.host.StreamHost;
import io.wasmgateway.host.abi.PluginInfo;

/**
 * A plugin: its root id and configuration, with a root context on every VM instance of its module (kept by each
 * instance, so that a replaced instance gets its own), and the way to its HTTP contexts: on the calling thread's
 * instance under isolation none, on the request's own instance under isolation stream.
 */
final class PluginRuntime extends Plugin {

    private static final Runnable NOT_COUNTED = () -> {
    };

    private final PluginInfo info;
    private final byte[] configuration;
    private final VmSlots slots;
    private final Recycler recycler;
    private final StreamPool pool; // isolation stream: the request instances; null under none
    // the module's facts every request asks for, read once
    private final FailurePolicy failurePolicy;
    private final boolean handlesRequestBody;
    private final boolean handlesResponseBody;

    PluginRuntime(PluginInfo info, byte[] configuration, VmSlots slots, Recycler recycler, StreamPool pool,
            ModuleRuntime module) {
        super(module);
        this.info = info;
        this.configuration = configuration;
        this.slots = slots;
        this.recycler = recycler;
        this.pool = pool;
        this.failurePolicy = module.failurePolicy();
        this.handlesRequestBody = module.handlesRequestBody();
        this.handlesResponseBody = module.handlesResponseBody();
    }

    @Override
    public String rootId() {
        return info.rootId();
    }

    PluginInfo info() {
        return info;
    }

    FailurePolicy failurePolicy() {
        return failurePolicy;
    }

    boolean handlesRequestBody() {
        return handlesRequestBody;
    }

    boolean handlesResponseBody() {
        return handlesResponseBody;
    }

    /** The root context on the instance currently in that slot. */
    RootContext rootOn(int slot) {
        return slots.get(slot).rootOf(this);
    }

    byte[] configuration() {
        return configuration;
    }

    /**
     * An HTTP context on the VM instance of the calling thread (or, while that one is broken and not yet
     * replaced, on a healthy one); {@code whenFinished} runs once when it has finished (the module's count of open
     * contexts).
     *
     * @throws IllegalStateException when no instance has this plugin's root context
     */
    @Override
    protected HttpContext openContext(StreamHost host, Runnable whenFinished) {
        return newStream(host, whenFinished);
    }

    /** {@link #openContext} counted by nobody but its instance (the VM package's tests). */
    StreamContext newStream(StreamHost host) {
        return newStream(host, NOT_COUNTED);
    }

    private StreamContext newStream(StreamHost host, Runnable whenFinished) {
        if (pool != null) {
            StreamContext context = new StreamContext(this, host, pool, pool.acquire(host.requestKey()),
                    whenFinished);
            slots.get(0).services().observer().request(slots.get(0).moduleName());
            return context;
        }
        int slot = slots.size() == 1 ? 0 : ThreadSlots.slotOf(slots.size());
        while (true) {
            VmInstance vm = slots.get(slot);
            RootContext root = vm == null || vm.isBroken() ? null : vm.rootOf(this);
            if (root == null) { // the slot's own is broken or lacks the plugin: the first healthy other one
                vm = slots.pick(slot, this);
                root = vm.rootOf(this);
                if (root == null) {
                    throw new IllegalStateException("wasm module '" + vm.moduleName()
                            + "' has no root context for root id '" + rootId() + "' on VM instance " + vm.index());
                }
            }
            if (recycler.open(vm)) { // else replaced by a recycle meanwhile: its slot has the fresh instance now
                vm.services().observer().request(vm.moduleName());
                return new StreamContext(vm, root, host, this, whenFinished);
            }
        }
    }

    /**
     * A healthy instance with this plugin's root context, for a context that could not start on a broken one (the
     * calling thread's own slot first); null while there is none (the broken one is still being replaced).
     */
    VmInstance healthyInstance() {
        VmInstance vm = slots.pick(ThreadSlots.slotOf(slots.size()), this);
        return vm == null || vm.isBroken() || vm.rootOf(this) == null || vm.use().draining() ? null : vm;
    }
}
