package io.wasmgateway.host.vm;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How much one VM instance has been used (HTTP contexts opened since it started, and still open), and its way out
 * when it is recycled: once replaced it drains, and the last context to finish on it hands it to be closed.
 * Touched from any thread. Both counts share one word, so opening a context costs one atomic addition and
 * finishing it one more.
 */
final class InstanceUse {

    private static final int OPEN_BITS = 24; // up to 16 million contexts open at once on one instance
    private static final long ONE_OPEN = 1;
    private static final long ONE_SERVED = 1L << OPEN_BITS;
    private static final long OPEN_MASK = ONE_SERVED - 1;

    private final AtomicLong counts = new AtomicLong(); // served << OPEN_BITS | open
    private final AtomicBoolean recycleClaimed = new AtomicBoolean();
    private final AtomicBoolean drained = new AtomicBoolean();
    private volatile Runnable whenDrained;

    /** A context opened on the instance; returns how many it has served so far, this one included. */
    long opened() {
        return counts.addAndGet(ONE_SERVED + ONE_OPEN) >>> OPEN_BITS;
    }

    /** A context opened on the instance has finished (the last one of a draining instance closes it). */
    void finished() {
        if ((counts.addAndGet(-ONE_OPEN) & OPEN_MASK) == 0 && whenDrained != null) {
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
        if (open() == 0) {
            drainedNow();
        }
    }

    private void drainedNow() {
        if (drained.compareAndSet(false, true)) {
            whenDrained.run();
        }
    }

    long served() {
        return counts.get() >>> OPEN_BITS;
    }

    int open() {
        return (int) (counts.get() & OPEN_MASK);
    }
}
