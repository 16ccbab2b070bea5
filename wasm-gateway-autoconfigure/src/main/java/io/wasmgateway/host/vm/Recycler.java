package io.wasmgateway.host.vm;

import io.wasmgateway.host.ModuleLimits;

import java.util.function.BiConsumer;

/**
 * Decides when a VM instance is due for recycling ({@link ModuleLimits#recycleAfterRequests()},
 * {@link ModuleLimits#recycleAtMemoryBytes()}), checked as each HTTP context opens on it, and asks once per
 * instance for its replacement (which the module makes off the event loops).
 */
final class Recycler {

    static final String REQUESTS = "requests";
    static final String MEMORY = "memory";

    private final long afterRequests;
    private final long atMemoryBytes;
    private final BiConsumer<VmInstance, String> replace;

    Recycler(ModuleLimits limits, BiConsumer<VmInstance, String> replace) {
        this.afterRequests = limits.recycleAfterRequests();
        this.atMemoryBytes = limits.recycleAtMemoryBytes();
        this.replace = replace;
    }

    /** Never recycles. */
    static Recycler none() {
        return new Recycler(ModuleLimits.DEFAULTS, (vm, reason) -> {
        });
    }

    /** A context opens on {@code vm}; false when the instance is already replaced (pick again: no count). */
    boolean open(VmInstance vm) {
        InstanceUse use = vm.use();
        long served = use.opened();
        if (use.draining()) {
            use.finished();
            return false;
        }
        String reason = afterRequests > 0 && served >= afterRequests ? REQUESTS
                : atMemoryBytes > 0 && vm.memoryBytes() >= atMemoryBytes ? MEMORY : null;
        if (reason != null && !vm.isBroken() && use.claimRecycle()) {
            replace.accept(vm, reason);
        }
        return true;
    }
}
