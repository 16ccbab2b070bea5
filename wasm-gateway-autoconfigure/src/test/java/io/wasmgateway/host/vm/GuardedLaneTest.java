package io.wasmgateway.host.vm;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fused lane and budget of a VM instance: calls and tasks never overlap and none is lost, whichever way they
 * enter (inline or queued); a watchdog interrupt never outlives its call; a call within its budget is left alone.
 */
class GuardedLaneTest {

    @Test
    void aCallTakesTheLaneAndGivesItBackInOneStepWhenNothingWaits() {
        GuardedLane lane = new GuardedLane();
        assertThat(lane.tryEnterCall()).isTrue();
        assertThat(lane.tryEnterCall()).isFalse();
        lane.budget(0);
        assertThat(lane.tryEndAndLeave()).isTrue();
        assertThat(lane.tryEnterCall()).isTrue();
        assertThat(lane.tryEndAndLeave()).isTrue();
    }

    @Test
    void aHolderRunsTheTasksQueuedDuringItsCallWhenItLeaves() {
        GuardedLane lane = new GuardedLane();
        List<String> order = new ArrayList<>();
        assertThat(lane.tryEnterCall()).isTrue();
        lane.budget(TimeUnit.SECONDS.toNanos(10));
        lane.execute(() -> order.add("queued"));
        order.add("inline");
        assertThat(lane.tryEndAndLeave()).isFalse(); // a task waits: it must run before the lane goes back
        assertThat(lane.end()).isFalse();
        lane.leave();
        assertThat(order).containsExactly("inline", "queued");
        assertThat(lane.tryEnterCall()).isTrue();
        assertThat(lane.tryEndAndLeave()).isTrue();
    }

    @Test
    void neverRunsTwoCallsAtOnceAndLosesNone() throws InterruptedException {
        GuardedLane lane = new GuardedLane();
        LaneContention.assertSerialAndComplete(work -> {
            if (lane.tryEnterCall()) { // inline, as a request's callback
                lane.budget(TimeUnit.SECONDS.toNanos(10));
                work.run();
                if (!lane.tryEndAndLeave()) {
                    lane.end();
                    lane.leave();
                }
            } else { // queued, as a callback behind another
                lane.execute(() -> {
                    lane.enterCall();
                    lane.budget(TimeUnit.SECONDS.toNanos(10));
                    work.run();
                    lane.end();
                });
            }
        }, lane::execute);
    }

    @Test
    void anInterruptNeverOutlivesTheCall() {
        GuardedLane lane = new GuardedLane();
        CallWatchdog.watch(lane);
        try {
            int interrupted = 0;
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
            while (System.nanoTime() < end) {
                assertThat(lane.tryEnterCall()).isTrue();
                lane.budget(1); // past its deadline at once: the watchdog races every call's end
                spin(20_000);
                if (!lane.tryEndAndLeave()) {
                    if (lane.end()) {
                        interrupted++;
                    }
                    lane.leave();
                }
                assertThat(Thread.currentThread().isInterrupted()).isFalse();
            }
            assertThat(interrupted).as("calls the watchdog interrupted").isPositive();
        } finally {
            CallWatchdog.forget(lane);
        }
    }

    @Test
    void aCallWithinItsBudgetIsLeftAlone() throws InterruptedException {
        GuardedLane lane = new GuardedLane();
        CallWatchdog.watch(lane);
        try {
            assertThat(lane.tryEnterCall()).isTrue();
            lane.budget(TimeUnit.SECONDS.toNanos(10));
            Thread.sleep(3 * CallWatchdog.PERIOD_MILLIS);
            assertThat(lane.tryEndAndLeave()).isTrue();
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
        } finally {
            CallWatchdog.forget(lane);
        }
    }

    private static void spin(long nanos) {
        long until = System.nanoTime() + nanos;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }
}
