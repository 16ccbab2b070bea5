package io.wasmgateway.host.vm;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;

import io.wasmgateway.host.LogCapture;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class SerialLaneTest {

    @Test
    void runsAtOnceOnTheCallingThreadWhenFree() {
        SerialLane lane = new SerialLane();
        List<String> ran = new ArrayList<>();
        lane.execute(() -> ran.add(Thread.currentThread().getName()));
        assertThat(ran).containsExactly(Thread.currentThread().getName());
    }

    @Test
    void aTaskSubmittedFromATaskRunsAfterIt() {
        SerialLane lane = new SerialLane();
        List<String> order = new ArrayList<>();
        lane.execute(() -> {
            lane.execute(() -> order.add("inner"));
            order.add("outer");
        });
        assertThat(order).containsExactly("outer", "inner");
    }

    @Test
    void neverRunsTwoTasksAtOnceAndLosesNone() throws InterruptedException {
        SerialLane lane = new SerialLane();
        AtomicBoolean inside = new AtomicBoolean();
        AtomicBoolean overlapped = new AtomicBoolean();
        int[] counter = {0}; // deliberately unsynchronised: the lane must make it safe
        int threads = 8;
        int perThread = 20_000;
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    lane.execute(() -> {
                        if (!inside.compareAndSet(false, true)) {
                            overlapped.set(true);
                        }
                        counter[0]++;
                        inside.set(false);
                    });
                }
                done.countDown();
            }).start();
        }
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        AtomicInteger last = new AtomicInteger();
        lane.execute(() -> last.set(counter[0])); // runs after everything queued so far
        assertThat(overlapped).isFalse();
        assertThat(last.get()).isEqualTo(threads * perThread);
    }

    @Test
    void aFailingTaskDoesNotStopTheLane() {
        SerialLane lane = new SerialLane();
        List<String> ran = new ArrayList<>();
        try (LogCapture log = new LogCapture(SerialLane.class.getName(), Level.OFF)) {
            lane.execute(() -> {
                throw new IllegalStateException("boom");
            });
        }
        lane.execute(() -> ran.add("next"));
        assertThat(ran).containsExactly("next");
    }

    @Test
    void aHolderThatEnteredRunsTheTasksQueuedMeanwhileWhenItLeaves() {
        SerialLane lane = new SerialLane();
        List<String> order = new ArrayList<>();
        assertThat(lane.tryEnter()).isTrue();
        assertThat(lane.tryEnter()).isFalse();
        lane.execute(() -> order.add("queued"));
        order.add("inline");
        lane.leave();
        assertThat(order).containsExactly("inline", "queued");
        assertThat(lane.tryEnter()).isTrue();
        lane.leave();
    }
}
