package io.wasmgateway.host.vm;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stable index per thread, handed out round-robin on first use, so that requests of one event loop always
 * use the same VM instance ({@code index % instances}) and event loops do not contend for a VM.
 */
public final class ThreadSlots {

    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final ThreadLocal<Integer> SLOT = ThreadLocal.withInitial(NEXT::getAndIncrement);

    private ThreadSlots() {
    }

    public static int slotOf(int instances) {
        return Math.floorMod(SLOT.get(), instances);
    }
}
