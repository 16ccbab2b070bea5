package io.wasmgateway.host.vm;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One daemon thread for the whole JVM that looks at every VM instance's {@link CallGuard} every
 * {@link #PERIOD_MILLIS} ms and interrupts calls past their budget. Guest calls cost nothing but a few plain
 * writes, a release store and a compare-and-set; no thread or timer is made per call, and no clock is read per
 * call: callers take the watchdog's {@link #tick()} as their start. A runaway call is therefore stopped between
 * its budget and its budget plus one period (plus however long the guest takes to reach its next interrupt check).
 */
final class CallWatchdog {

    static final long PERIOD_MILLIS = 5;

    /** A budget the watchdog checks each period. */
    interface Watched {

        /** Interrupts the running call if it is past its budget ({@code now}: this check's clock). */
        void check(long now);
    }

    private static final Set<Watched> GUARDS = ConcurrentHashMap.newKeySet();

    private static volatile ScheduledExecutorService thread;

    private static volatile long tick = System.nanoTime();

    private CallWatchdog() {
    }

    /** {@link System#nanoTime()} as of the latest check: at most one period old while the watchdog runs. */
    static long tick() {
        return tick;
    }

    static void watch(Watched guard) {
        GUARDS.add(guard);
        if (thread == null) {
            start();
        }
    }

    static void forget(Watched guard) {
        GUARDS.remove(guard);
    }

    private static synchronized void start() {
        if (thread != null) {
            return;
        }
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread watchdog = new Thread(task, "wasm-watchdog");
            watchdog.setDaemon(true);
            return watchdog;
        });
        scheduler.scheduleAtFixedRate(CallWatchdog::checkAll, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        thread = scheduler;
    }

    private static void checkAll() {
        long now = System.nanoTime();
        tick = now;
        for (Watched guard : GUARDS) {
            guard.check(now);
        }
    }
}
