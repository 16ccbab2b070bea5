package io.wasmgateway.it.support;

import java.lang.management.ManagementFactory;

/** The test JVM's heap, for tests that compare it before and after a load. */
public final class Heap {

    private Heap() {
    }

    /** The heap in use after three GCs a tenth of a second apart (one may not collect everything). */
    public static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
