package io.wasmgateway.host.vm;

import io.wasmgateway.host.FailurePolicy;
import io.wasmgateway.host.HostServices;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Renews a module's instances in their slots, always off the event loops (on the timer thread): a broken one
 * (a trap, a call past its budget) is replaced by a fresh instance with every plugin's root context, which only
 * then takes the slot; under {@link FailurePolicy#FAIL_RELOAD} a replacement that fails, or an instance that
 * breaks before serving a single callback, is retried after a pause that doubles each time
 * ({@link ReloadBackoff}), under the other policies the slot stays failed. A healthy one due for recycling
 * ({@link Recycler}) is replaced the same way but gracefully: the old one drains (finishes the requests it has
 * open), then its root contexts are finished and it is released.
 */
final class InstanceRenewal {

    private final ModuleRuntime module;
    private final ModuleIdentity identity;
    private final HostServices services;
    private final VmSlots slots;
    private final RootLifecycle roots;
    private final AtomicLong replaced = new AtomicLong();
    private final AtomicLong recycled = new AtomicLong();
    private final Set<VmInstance> draining = ConcurrentHashMap.newKeySet(); // recycled, finishing their requests

    InstanceRenewal(ModuleRuntime module, ModuleIdentity identity, HostServices services, VmSlots slots,
            RootLifecycle roots) {
        this.module = module;
        this.identity = identity;
        this.services = services;
        this.slots = slots;
        this.roots = roots;
    }

    long replacedCount() {
        return replaced.get();
    }

    long recycledCount() {
        return recycled.get();
    }

    /** The recycled instances still finishing their requests, taken (the module closes them now). */
    List<VmInstance> takeDraining() {
        List<VmInstance> taken = new ArrayList<>(draining);
        draining.removeAll(taken);
        return taken;
    }

    /** On the broken instance's lane, right after the trap: schedules its replacement. */
    void instanceBroke(VmInstance broken) {
        if (module.isClosed() || !slots.isCurrent(broken)) {
            return; // shutting down, or an instance still being made: its maker deals with it
        }
        module.trapped(broken.brokenReason());
        int failures = broken.servedCallback() ? 1 : broken.failuresBefore() + 1;
        scheduleRenewal(broken, failures);
    }

    private void scheduleRenewal(VmInstance broken, int failures) {
        long delay = module.failurePolicy() == FailurePolicy.FAIL_RELOAD ? ReloadBackoff.delayMillis(failures) : 0;
        try {
            services.scheduler().schedule(() -> renew(broken, failures), delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            identity.logger().warn("VM instance {} of wasm module '{}' cannot be replaced: the timer thread is gone",
                    broken.index(), identity.name());
        }
    }

    /** On the timer thread: makes a fresh instance with every plugin's root context, then swaps it in. */
    private void renew(VmInstance broken, int failures) {
        if (module.isClosed()) {
            return;
        }
        VmInstance fresh = null;
        String problem;
        try {
            fresh = module.newInstance(broken.index());
            problem = roots.startAll(fresh);
            fresh.failuresBefore(failures);
        } catch (LoadProblem e) {
            problem = e.getMessage();
        }
        if (problem == null && !module.isClosed() && slots.replace(broken.index(), broken, fresh)) {
            replaced.incrementAndGet();
            identity.logger().info("VM instance {} of wasm module '{}' replaced by a fresh instance", broken.index(),
                    identity.name());
            RootLifecycle.retire(broken);
            roots.addMissing(fresh);
            return;
        }
        if (fresh != null) {
            RootLifecycle.retire(fresh);
        }
        if (module.isClosed()) {
            return;
        }
        if (module.failurePolicy() == FailurePolicy.FAIL_RELOAD) {
            identity.logger().error("VM instance {} of wasm module '{}' could not be replaced ({}); retrying in {} ms",
                    broken.index(), identity.name(), problem, ReloadBackoff.delayMillis(failures + 1));
            scheduleRenewal(broken, failures + 1);
        } else {
            identity.logger().error("VM instance {} of wasm module '{}' could not be replaced ({}); it stays failed",
                    broken.index(), identity.name(), problem);
        }
    }

    /** From the thread that opened the context that made it due: the replacement is made on the timer thread. */
    void scheduleRecycle(VmInstance old, String reason) {
        try {
            services.scheduler().execute(() -> recycle(old, reason));
        } catch (RejectedExecutionException e) {
            identity.logger().warn("VM instance {} of wasm module '{}' cannot be recycled: the timer thread is gone",
                    old.index(), identity.name());
        }
    }

    /** On the timer thread: a fresh instance with every plugin's root context takes the slot; the old drains. */
    private void recycle(VmInstance old, String reason) {
        if (module.isClosed() || old.isBroken() || !slots.isCurrent(old)) {
            return; // broken meanwhile: the renewal replaces it
        }
        VmInstance fresh = null;
        String problem;
        try {
            fresh = module.newInstance(old.index());
            problem = roots.startAll(fresh);
            fresh.failuresBefore(0);
        } catch (LoadProblem e) {
            problem = e.getMessage();
        }
        if (problem == null && !module.isClosed() && slots.replace(old.index(), old, fresh)) {
            recycled.incrementAndGet();
            services.observer().recycled(identity.name(), reason);
            identity.logger().info("VM instance {} of wasm module '{}' recycled after {} requests ({} bytes of "
                    + "memory): a fresh instance takes new requests", old.index(), identity.name(),
                    old.use().served(), old.memoryBytes());
            roots.addMissing(fresh);
            draining.add(old);
            old.use().drain(() -> finishDrained(old));
            return;
        }
        if (fresh != null) {
            RootLifecycle.retire(fresh);
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
                roots.finishInstance(old);
            }
        };
        try {
            services.scheduler().execute(finish);
        } catch (RejectedExecutionException e) {
            finish.run(); // the application stops
        }
    }
}
