package io.wasmgateway.host.vm;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;

/**
 * The watchdog's notes on the call it last saw on one guard: what the call has been charged so far. A call is
 * charged the CPU time its thread uses from when the watchdog first sees it, plus the time before (from its
 * start tick, at most one watchdog period), so a call that waits for a core or sits out a garbage-collection
 * pause is not charged for the wait. Where the JVM cannot measure a thread's CPU time, wall-clock time is
 * charged. Only the watchdog thread touches it.
 */
final class CallCharge {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final boolean CPU_TIME = cpuTimeAvailable();

    private long sightedCall = -1;
    private long chargedBeforeSight;
    private long cpuAtSight;
    private long wallAtSight;

    /** What call number {@code call}, started at {@code startTick} on {@code thread}, is charged by {@code now}. */
    long charged(long call, long now, long startTick, Thread thread) {
        if (call != sightedCall) {
            sightedCall = call;
            wallAtSight = now;
            chargedBeforeSight = Math.min(Math.max(0, now - startTick),
                    TimeUnit.MILLISECONDS.toNanos(CallWatchdog.PERIOD_MILLIS));
            cpuAtSight = cpuTime(thread);
        }
        long cpuNow = cpuAtSight < 0 ? -1 : cpuTime(thread);
        return chargedBeforeSight + (cpuNow < 0 ? now - wallAtSight : cpuNow - cpuAtSight);
    }

    private static long cpuTime(Thread thread) {
        return CPU_TIME ? THREADS.getThreadCpuTime(thread.getId()) : -1;
    }

    private static boolean cpuTimeAvailable() {
        try {
            if (!THREADS.isThreadCpuTimeSupported()) {
                return false;
            }
            if (!THREADS.isThreadCpuTimeEnabled()) {
                THREADS.setThreadCpuTimeEnabled(true);
            }
            return true;
        } catch (UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }
}
