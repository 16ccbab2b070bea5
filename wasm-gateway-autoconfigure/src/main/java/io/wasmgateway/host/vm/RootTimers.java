package io.wasmgateway.host.vm;

import io.wasmgateway.host.abi.Limits;
import io.wasmgateway.host.abi.Status;
import io.wasmgateway.host.shared.QueueListener;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What wakes one instance's root contexts up: their tick timers (proxy_set_tick_period, proxy_on_tick) and their
 * shared-queue registrations (proxy_on_queue_ready). The timer thread only hands each wake-up to the lane.
 */
final class RootTimers {

    private final VmInstance vm;
    private final Map<QueueListener, RootContext> queueListeners = new LinkedHashMap<>(); // lane

    RootTimers(VmInstance vm) {
        this.vm = vm;
    }

    /** proxy_set_tick_period on a root context (lane): 0 stops its timer. */
    int setTickPeriod(RootContext root, long millis) {
        if (root == null) {
            return Status.NOT_FOUND;
        }
        if (millis == 0) {
            root.stopTick();
        } else {
            root.tickWith(vm.services().scheduler().scheduleAtFixedRate(() -> tick(root), millis, millis,
                    TimeUnit.MILLISECONDS));
        }
        return Status.OK;
    }

    /** Runs proxy_on_tick on the root context (from the timer thread: only hands the tick to the lane). */
    private void tick(RootContext root) {
        if (!root.claimTick()) {
            return;
        }
        vm.executor().execute(() -> {
            root.tickRuns();
            if (!vm.isLive(root) || vm.isBroken()) {
                root.stopTick();
                return;
            }
            vm.executor().runDetached(GuestCallbacks.ON_TICK, root, () -> vm.call(GuestCallbacks.ON_TICK, root.id()));
        });
    }

    /** A listener for a queue a root context registers (lane); null when the instance has too many. */
    QueueListener queueListener(RootContext root) {
        if (root == null || queueListeners.size() >= Limits.MAX_QUEUE_REGISTRATIONS_PER_VM) {
            return null;
        }
        QueueListener listener = queueId -> vm.services().scheduler().execute(() -> queueReady(root, queueId));
        queueListeners.put(listener, root);
        return listener;
    }

    /** proxy_on_queue_ready on the root context that registered the queue (handed over by the timer thread). */
    private void queueReady(RootContext root, int queueId) {
        vm.executor().execute(() -> {
            if (vm.isLive(root)) {
                vm.executor().runDetached(GuestCallbacks.ON_QUEUE_READY, root,
                        () -> vm.call(GuestCallbacks.ON_QUEUE_READY, root.id(), queueId));
            }
        });
    }

    /** A released root context's queue registrations end with it (lane). */
    void stopQueues(RootContext root) {
        queueListeners.entrySet().removeIf(entry -> {
            if (entry.getValue() != root) {
                return false;
            }
            vm.services().sharedQueues().removeListener(entry.getKey());
            return true;
        });
    }

    /** When the instance closes (lane): no more wake-ups from queues. */
    void stopAll() {
        queueListeners.keySet().forEach(vm.services().sharedQueues()::removeListener);
        queueListeners.clear();
    }
}
