package io.wasmgateway.host.vm;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The execution budget of the guest calls of one VM instance. The caller {@link #enter}s and {@link #exit}s
 * around each call; the {@link CallWatchdog} thread {@link #check}s it and interrupts the calling thread once
 * the call has used up its budget. One state word (a call number and a phase) decides, by compare-and-set, who
 * wins: the watchdog can only interrupt the very call it saw running, and the caller clears the interrupt flag
 * before it returns to whatever runs on that thread (Netty), waiting out an interrupt that is being delivered
 * at that instant.
 *
 * <p>A call is charged as {@link CallCharge} says: CPU time, not the time it waits.
 *
 * <p>Entering is cheap because it runs around every callback: the start is the watchdog's last tick (no clock
 * read; the watchdog charges the time before it sees a call from that tick, at most one period), the thread and
 * the budget are written only when they change (an instance serves one event loop, with one budget), and the
 * state word is published with a release store, which orders those plain writes before it for the watchdog
 * (which reads the state first). Only leaving needs a compare-and-set: it races the watchdog's.
 */
final class CallGuard implements CallWatchdog.Watched {

    private static final long IDLE = 0;
    private static final long RUNNING = 1;
    private static final long INTERRUPTING = 2;
    private static final long INTERRUPTED = 3;
    private static final long PHASE = 3;

    private final AtomicLong state = new AtomicLong();
    // written by the caller before the release store of state, read by the watchdog after reading state
    private Thread thread;
    private long startTick;
    private long budgetNanos;

    private final CallCharge charge = new CallCharge(); // the watchdog's own notes

    /** Starts a call on the current thread with this budget (nanoseconds; 0 or less: none). */
    void enter(long budgetNanos) {
        if (budgetNanos <= 0) {
            return;
        }
        Thread current = Thread.currentThread();
        if (thread != current) {
            thread = current;
        }
        if (this.budgetNanos != budgetNanos) {
            this.budgetNanos = budgetNanos;
        }
        startTick = CallWatchdog.tick();
        long call = (state.get() & ~PHASE) + 4; // a new call number: the watchdog cannot act on an older one
        state.setRelease(call | RUNNING); // published after thread, budget and start
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
        return true;
    }

    /** Called by the watchdog only: interrupts the running call once it has used up its budget. */
    @Override
    public void check(long now) {
        long seen = state.get();
        if ((seen & PHASE) != RUNNING) {
            return;
        }
        Thread running = thread;
        if (charge.charged(seen & ~PHASE, now, startTick, running) < budgetNanos) {
            return;
        }
        if (state.compareAndSet(seen, (seen & ~PHASE) | INTERRUPTING)) {
            running.interrupt();
            state.set((seen & ~PHASE) | INTERRUPTED);
        }
    }
}
