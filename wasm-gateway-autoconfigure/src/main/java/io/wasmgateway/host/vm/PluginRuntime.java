package io.wasmgateway.host.vm;

import io.wasmgateway.host.StreamHost;

import java.util.List;

/** A plugin's root contexts, one per VM instance, and the way to its HTTP contexts. */
public final class PluginRuntime {

    private final String rootId;
    private final List<VmInstance> vms;
    private final List<RootContext> roots; // roots.get(i) lives on vms.get(i)

    PluginRuntime(String rootId, List<VmInstance> vms, List<RootContext> roots) {
        this.rootId = rootId;
        this.vms = vms;
        this.roots = roots;
    }

    public String rootId() {
        return rootId;
    }

    RootContext rootOn(int vmIndex) {
        return roots.get(vmIndex);
    }

    /** An HTTP context on the VM instance of the calling thread. */
    public StreamContext newStream(StreamHost host) {
        int slot = ThreadSlots.slotOf(vms.size());
        VmInstance vm = vms.get(slot);
        vm.services().observer().request(vm.moduleName());
        return new StreamContext(vm, roots.get(slot), host);
    }
}
