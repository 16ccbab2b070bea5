package io.wasmgateway.host.vm;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A module's VM instances by slot. A slot's instance is swapped for a fresh one when it breaks; until then,
 * requests of that slot's threads go to a healthy instance of another slot, if there is one.
 */
final class VmSlots {

    private final AtomicReferenceArray<VmInstance> slots;

    VmSlots(int size) {
        this.slots = new AtomicReferenceArray<>(size);
    }

    int size() {
        return slots.length();
    }

    VmInstance get(int slot) {
        return slots.get(slot);
    }

    void set(int slot, VmInstance vm) {
        slots.set(slot, vm);
    }

    /** Puts {@code fresh} in the slot if {@code old} still holds it (a recycle and a renewal may race). */
    boolean replace(int slot, VmInstance old, VmInstance fresh) {
        return slots.compareAndSet(slot, old, fresh);
    }

    /** Whether {@code vm} is the instance currently serving its slot. */
    boolean isCurrent(VmInstance vm) {
        return slots.get(vm.index()) == vm;
    }

    /**
     * The instance for a new request of that plugin: the slot's own when it is healthy and has the plugin's root
     * context, else the first other such instance, else the slot's own (whose callbacks then fail fast).
     */
    VmInstance pick(int slot, PluginRuntime plugin) {
        VmInstance own = slots.get(slot);
        if (usable(own, plugin)) {
            return own;
        }
        for (int i = 1; i < slots.length(); i++) {
            VmInstance other = slots.get((slot + i) % slots.length());
            if (usable(other, plugin)) {
                return other;
            }
        }
        return own;
    }

    private static boolean usable(VmInstance vm, PluginRuntime plugin) {
        return vm != null && !vm.isBroken() && vm.rootOf(plugin) != null;
    }

    int brokenCount() {
        int broken = 0;
        for (int i = 0; i < slots.length(); i++) {
            VmInstance vm = slots.get(i);
            if (vm == null || vm.isBroken()) {
                broken++;
            }
        }
        return broken;
    }
}
