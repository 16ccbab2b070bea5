package io.wasmgateway.host.vm;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The execution budget of the guest calls of one VM instance. The caller {@link #enter}s and {@link #exit}s
 * around each call; the {@link CallWatchdog} thread interrupts the calling thread when a call is past its
 * deadline. One state word (a call number and a phase) decides, by compare-and-set, who wins: the watchdog can
 * only interrupt the very call it saw running, and the caller clears the interrupt flag before it returns to
 * whatever runs on that thread (Netty), waiting out an interrupt that is being delivered at that instant.
 */
final class CallGuard {

    private static final long IDLE = 0;
    private static final long RUNNING = 1;
    private static final long INTERRUPTING = 2;
    private static final long INTERRUPTED = 3;
    private static final long PHASE = 3;

    private final AtomicLong state = new AtomicLong();
    private volatile Thread thread;
    private volatile long deadline;

    /** Starts a call on the current thread with this budget (nanoseconds; 0 or less: none). */
    void enter(long budgetNanos) {
        if (budgetNanos <= 0) {
            return;
        }
        thread = Thread.currentThread();
        deadline = System.nanoTime() + budgetNanos;
        long call = (state.get() & ~PHASE) + 4; // a new call number: the watchdog cannot act on an older one
        state.set(call | RUNNING); // published after thread and deadline
    }

    /**
     * Ends the call started by {@link #enter}.
     *
     * @return whether the watchdog interrupted it (the thread's interrupt flag is cleared again)
     */
    boolean exit() {
        long current = state.get();
        if ((current & PHASE) == IDLE) {
            return false; // no budget
        }
        if ((current & PHASE) == RUNNING && state.compareAndSet(current, current & ~PHASE)) {
            return false;
        }
        while ((state.get() & PHASE) == INTERRUPTING) {
            Thread.onSpinWait(); // the watchdog is between its compare-and-set and Thread.interrupt()
        }
        Thread.interrupted();
        state.set(current & ~PHASE);
        thread = null;
        return true;
    }

    /** Called by the watchdog: interrupts the running call if it is past its deadline. */
    void check(long now) {
        long seen = state.get();
        if ((seen & PHASE) != RUNNING || now - deadline < 0) {
            return;
        }
        Thread running = thread;
        if (state.compareAndSet(seen, (seen & ~PHASE) | INTERRUPTING)) {
            running.interrupt();
            state.set((seen & ~PHASE) | INTERRUPTED);
        }
    }
}
