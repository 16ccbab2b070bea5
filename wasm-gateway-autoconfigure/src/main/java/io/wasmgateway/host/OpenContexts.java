package io.wasmgateway.host;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts a module's open HTTP contexts, so that a module replaced by a reload is closed only once the requests
 * it serves have finished. After the close no context opens any more.
 */
final class OpenContexts {

    private static final long CLOSED = Long.MIN_VALUE;

    private final AtomicLong open = new AtomicLong();

    private final Runnable closeAction;

    private volatile boolean retiring;

    private final Runnable finishedAction = this::finished; // made once: every context holds it


    OpenContexts(Runnable closeAction) {
        this.closeAction = closeAction;
    }

    /** Counts one more context; false when the module is already closed. */
    boolean tryOpen() {
        while (true) {
            long count = open.get();
            if (count < 0) {
                return false;
            }
            if (open.compareAndSet(count, count + 1)) {
                return true;
            }
        }
    }

    /** A context has finished; the last one of a retiring module closes it. */
    void finished() {
        if (open.decrementAndGet() == 0 && retiring) {
            closeIfIdle();
        }
    }

    /** {@link #finished()} as a task, the same object every time (contexts call it when they finish). */
    Runnable finishedAction() {
        return finishedAction;
    }

    /** Closes the module as soon as no context is open (now, if none is). */
    void retire() {
        retiring = true;
        closeIfIdle();
    }

    /** Refuses new contexts, whatever is still open (the application stops). */
    void refuse() {
        open.set(CLOSED);
    }

    long count() {
        return Math.max(0, open.get());
    }

    private void closeIfIdle() {
        // either the last finish or retire() sees zero; the CAS lets exactly one of them close
        if (open.compareAndSet(0, CLOSED)) {
            closeAction.run();
        }
    }
}
