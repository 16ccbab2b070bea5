package io.wasmgateway.host.vm;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time without locks or blocking: a task runs at once on the calling thread when the lane
 * is free; otherwise it is queued and the thread that holds the lane runs it right after its own task. A task
 * that submits another task (e.g. from a completion it triggers) only queues it, so tasks never nest.
 * Everything a task touches is safely published to the next task, whatever thread runs it (the queue and the
 * work-in-progress counter give the happens-before edges).
 */
public final class SerialLane {

    private static final Logger LOG = LoggerFactory.getLogger(SerialLane.class);

    private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger workInProgress = new AtomicInteger();

    public void execute(Runnable task) {
        queue.offer(task);
        if (workInProgress.getAndIncrement() != 0) {
            return; // the holder of the lane runs it
        }
        runSafely(queue.poll());
        leave();
    }

    /**
     * Takes the lane when nothing holds it, so the caller can run its work inline without a task object (the
     * common, uncontended case); the caller must then {@link #leave()}. False when the lane is held.
     */
    public boolean tryEnter() {
        return workInProgress.compareAndSet(0, 1);
    }

    /** Gives the lane back, first running the tasks queued while it was held. */
    public void leave() {
        while (workInProgress.decrementAndGet() != 0) {
            runSafely(queue.poll());
        }
    }

    static void runSafely(Runnable task) {
        try {
            task.run();
        } catch (Throwable error) {
            // tasks complete their own futures; this only guards the lane against a bug in one
            LOG.error("a task on a wasm VM lane failed", error);
        }
    }
}
