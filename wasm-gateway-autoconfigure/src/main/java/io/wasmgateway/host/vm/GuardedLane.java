package io.wasmgateway.host.vm;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A VM instance's lane and the budget of the guest call on it, in one state word, so that an uncontended guest
 * call costs two atomic operations: one that takes the lane and starts the call, one that ends the call and gives
 * the lane back. The lane is a {@link SerialLane} (tasks run one at a time without locks or blocking: at once
 * when the lane is free, else by its holder right after its own work); the budget is a {@link CallGuard} (the
 * {@link CallWatchdog} interrupts a call past it, and the caller leaves with its interrupt flag clear).
 *
 * <p>The word holds the call number (bits 34-63), the tasks in progress, holder included (bits 2-33), and the
 * call's phase (bits 0-1). The call's thread, start tick and budget are written by the holder after it started
 * the call and published by a release store of the call number; the watchdog acts on a call only once it sees
 * them published, and its compare-and-set lets it interrupt only the very call it saw running.
 */
final class GuardedLane implements CallWatchdog.Watched {

    private static final long IDLE = 0;
    private static final long RUNNING = 1;
    private static final long INTERRUPTING = 2;
    private static final long INTERRUPTED = 3;
    private static final long PHASE = 3;
    private static final long ONE_TASK = 4;
    private static final long TASKS = ((1L << 32) - 1) << 2;
    private static final long ONE_CALL = 1L << 34;
    private static final long CALLS = -ONE_CALL;

    private static final VarHandle PUBLISHED;

    static {
        try {
            PUBLISHED = MethodHandles.lookup().findVarHandle(GuardedLane.class, "published", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final AtomicLong state = new AtomicLong();
    private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private long call; // holder: the number of the call it runs
    // written by the holder before the release store of published, read by the watchdog after reading it
    private Thread thread;
    private long startTick;
    private long budgetNanos;
    private volatile long published = -1; // the call whose thread, start and budget are written
    private final CallCharge charge = new CallCharge(); // the watchdog's own notes

    /** Runs the task now when the lane is free, else after the tasks before it (see {@link SerialLane}). */
    void execute(Runnable task) {
        queue.offer(task);
        if ((state.getAndAdd(ONE_TASK) & TASKS) != 0) {
            return; // the holder of the lane runs it
        }
        runSafely(queue.poll());
        leave();
    }

    /**
     * Takes the lane and starts a guest call in one step when nothing holds the lane; the caller then
     * {@link #budget}s the call and ends it with {@link #tryEndAndLeave} or {@link #end} and {@link #leave}.
     */
    boolean tryEnterCall() {
        long seen = state.get();
        if ((seen & (TASKS | PHASE)) != 0) {
            return false;
        }
        long next = ((seen & CALLS) + ONE_CALL) | ONE_TASK | RUNNING;
        if (!state.compareAndSet(seen, next)) {
            return false;
        }
        call = next & CALLS;
        return true;
    }

    /** Starts a guest call while holding the lane (a task run by the holder). */
    void enterCall() {
        while (true) {
            long seen = state.get();
            long next = ((seen & CALLS) + ONE_CALL) | (seen & TASKS) | RUNNING;
            if (state.compareAndSet(seen, next)) {
                call = next & CALLS;
                return;
            }
        }
    }

    /** Gives the started call its budget on the current thread (nanoseconds; 0 or less: none). */
    void budget(long nanos) {
        Thread current = Thread.currentThread();
        if (thread != current) {
            thread = current;
        }
        if (budgetNanos != nanos) {
            budgetNanos = nanos;
        }
        startTick = CallWatchdog.tick();
        PUBLISHED.setRelease(this, call); // after thread, budget and start
    }

    /**
     * Ends the call and gives the lane back in one step, when no task was queued meanwhile and the watchdog did
     * not act; false otherwise (then {@link #end} and {@link #leave}).
     */
    boolean tryEndAndLeave() {
        long seen = state.get();
        return (seen & (TASKS | PHASE)) == (ONE_TASK | RUNNING) && state.compareAndSet(seen, seen & CALLS);
    }

    /**
     * Ends the call, keeping the lane.
     *
     * @return whether the watchdog interrupted it (the thread's interrupt flag is cleared again)
     */
    boolean end() {
        while (true) {
            long seen = state.get();
            long phase = seen & PHASE;
            if (phase == INTERRUPTING) {
                Thread.onSpinWait(); // the watchdog is between its compare-and-set and Thread.interrupt()
                continue;
            }
            if (state.compareAndSet(seen, seen & ~PHASE)) {
                if (phase == INTERRUPTED) {
                    Thread.interrupted();
                    return true;
                }
                return false;
            }
        }
    }

    /** Gives the lane back, first running the tasks queued while it was held. */
    void leave() {
        while ((state.addAndGet(-ONE_TASK) & TASKS) != 0) {
            runSafely(queue.poll());
        }
    }

    /** Called by the watchdog only: interrupts the running call once it has used up its budget. */
    @Override
    public void check(long now) {
        long seen = state.get();
        long running = seen & CALLS;
        if ((seen & PHASE) != RUNNING || published != running) {
            return; // no call, or its thread and budget are not written yet
        }
        Thread caller = thread;
        long budget = budgetNanos;
        if (budget <= 0 || charge.charged(running, now, startTick, caller) < budget) {
            return;
        }
        while (true) { // only the task count may move meanwhile: the call must be the one seen, still running
            long current = state.get();
            if ((current & (CALLS | PHASE)) != (running | RUNNING)) {
                return;
            }
            if (state.compareAndSet(current, (current & ~PHASE) | INTERRUPTING)) {
                break;
            }
        }
        caller.interrupt();
        while (true) { // the caller waits for this before it goes on
            long current = state.get();
            if (state.compareAndSet(current, (current & ~PHASE) | INTERRUPTED)) {
                return;
            }
        }
    }

    private static void runSafely(Runnable task) {
        SerialLane.runSafely(task); // logs a failing task: a bug in it must not stop the lane
    }
}
