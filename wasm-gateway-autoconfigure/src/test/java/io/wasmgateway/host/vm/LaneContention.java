package io.wasmgateway.host.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Eight threads put 20,000 increments each of one deliberately unsynchronised counter through a lane: the lane
 * must never run two at once, nor lose one.
 */
final class LaneContention {

    private LaneContention() {
    }

    /**
     * @param submit how a thread hands one piece of work to the lane
     * @param execute the lane's plain task submission, for reading the counter after everything queued so far
     */
    static void assertSerialAndComplete(Consumer<Runnable> submit, Consumer<Runnable> execute)
            throws InterruptedException {
        AtomicBoolean inside = new AtomicBoolean();
        AtomicBoolean overlapped = new AtomicBoolean();
        int[] counter = {0}; // deliberately unsynchronised: the lane must make it safe
        Runnable work = () -> {
            if (!inside.compareAndSet(false, true)) {
                overlapped.set(true);
            }
            counter[0]++;
            inside.set(false);
        };
        int threads = 8;
        int perThread = 20_000;
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    submit.accept(work);
                }
                done.countDown();
            }).start();
        }
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        AtomicInteger last = new AtomicInteger();
        execute.accept(() -> last.set(counter[0])); // runs after everything queued so far
        assertThat(overlapped).isFalse();
        assertThat(last.get()).isEqualTo(threads * perThread);
    }
}
