package io.wasmgateway.host.vm;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;

import io.wasmgateway.host.LogCapture;

import java.util.ArrayList;
import java.util.List;

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
        LaneContention.assertSerialAndComplete(lane::execute, lane::execute);
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
