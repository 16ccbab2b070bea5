package io.wasmgateway.host.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The watchdog against calls that end right around their deadline: whichever side wins, the caller always
 * leaves with its interrupt flag clear, and an interrupt only ever lands inside a call.
 */
class CallGuardTest {

    @Test
    void anInterruptNeverOutlivesTheCall() {
        CallGuard guard = new CallGuard();
        CallWatchdog.watch(guard);
        try {
            int interrupted = 0;
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
            while (System.nanoTime() < end) {
                guard.enter(1); // past its deadline at once: the watchdog races every call's end
                spin(20_000);
                if (guard.exit()) {
                    interrupted++;
                }
                assertThat(Thread.currentThread().isInterrupted()).isFalse();
            }
            assertThat(interrupted).as("calls the watchdog interrupted").isPositive();
        } finally {
            CallWatchdog.forget(guard);
        }
    }

    @Test
    void aCallWithinItsBudgetIsLeftAlone() throws InterruptedException {
        CallGuard guard = new CallGuard();
        CallWatchdog.watch(guard);
        try {
            guard.enter(TimeUnit.SECONDS.toNanos(10));
            Thread.sleep(3 * CallWatchdog.PERIOD_MILLIS);
            assertThat(guard.exit()).isFalse();
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
        } finally {
            CallWatchdog.forget(guard);
        }
    }

    @Test
    void aCallIsChargedForTheCpuItUsesNotForTheTimeItWaits() throws InterruptedException {
        assumeTrue(ManagementFactory.getThreadMXBean().isThreadCpuTimeSupported(), "thread CPU time measurable");
        CallGuard guard = new CallGuard();
        CallWatchdog.watch(guard);
        try {
            guard.enter(TimeUnit.MILLISECONDS.toNanos(20));
            Thread.sleep(200); // off the CPU (as when waiting for a core, or in a GC pause): would throw if interrupted
            assertThat(guard.exit()).isFalse();

            guard.enter(TimeUnit.MILLISECONDS.toNanos(20));
            boolean interrupted = false;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!interrupted && System.nanoTime() < until) {
                interrupted = Thread.currentThread().isInterrupted(); // on the CPU all along
            }
            assertThat(guard.exit()).isTrue();
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
        } finally {
            CallWatchdog.forget(guard);
        }
    }

    private static void spin(long nanos) {
        long until = System.nanoTime() + nanos;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }
}
