package io.wasmgateway.host.vm;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How much one VM instance has been used (HTTP contexts opened since it started, and still open), and its way out
 * when it is recycled: once replaced it drains, and the last context to finish on it hands it to be closed.
 * Touched from any thread.
 */
final class InstanceUse {

    private final AtomicLong served = new AtomicLong();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicBoolean recycleClaimed = new AtomicBoolean();
    private final AtomicBoolean drained = new AtomicBoolean();
    private volatile Runnable whenDrained;

    /** A context opened on the instance; returns how many it has served so far, this one included. */
    long opened() {
        open.incrementAndGet();
        return served.incrementAndGet();
    }

    /** A context opened on the instance has finished (the last one of a draining instance closes it). */
    void finished() {
        if (open.decrementAndGet() == 0 && whenDrained != null) {
            drainedNow();
        }
    }

    /**
     * A context opened after the instance was replaced: it is not counted and must go to the fresh instance
     * (the caller checks this after {@link #opened()}, so that either it or {@link #drain} sees the other).
     */
    boolean draining() {
        return whenDrained != null;
    }

    /** Only the first caller gets to recycle the instance. */
    boolean claimRecycle() {
        return recycleClaimed.compareAndSet(false, true);
    }

    /** The instance was replaced: runs {@code action} once no context is open on it any more (now, if none is). */
    void drain(Runnable action) {
        whenDrained = action;
        if (open.get() == 0) {
            drainedNow();
        }
    }

    private void drainedNow() {
        if (drained.compareAndSet(false, true)) {
            whenDrained.run();
        }
    }

    long served() {
        return served.get();
    }

    int open() {
        return Math.max(0, open.get());
    }
}
