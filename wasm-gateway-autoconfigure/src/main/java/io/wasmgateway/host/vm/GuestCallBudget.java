package io.wasmgateway.host.vm;

/**
 * The execution budget of guest calls made outside this package (Extism plugins): the same {@link CallGuard}
 * and JVM-wide {@link CallWatchdog} as the Proxy-Wasm VM instances, so a runaway call is interrupted the same
 * way. One budget serves one instance, whose calls never overlap; {@link #close()} it with the instance.
 */
public final class GuestCallBudget implements AutoCloseable {

    private final CallGuard guard = new CallGuard();

    public GuestCallBudget() {
        CallWatchdog.watch(guard);
    }

    /** Starts a call on the current thread with this budget (nanoseconds; 0 or less: none). */
    public void enter(long budgetNanos) {
        guard.enter(budgetNanos);
    }

    /**
     * Ends the call started by {@link #enter}; call it before anything else runs on this thread.
     *
     * @return whether the call was interrupted for running past its budget (the interrupt flag is cleared)
     */
    public boolean exit() {
        return guard.exit();
    }

    /** Why a guest call failed, in words (a trap's message, a StackOverflowError, proc_exit). */
    public static String reason(Throwable error) {
        return Traps.reason(error);
    }

    /** The reason of a call interrupted past its budget, naming the property that sets it. */
    public static String pastBudget(long budgetNanos, String property) {
        return Traps.pastBudget(budgetNanos, property);
    }

    @Override
    public void close() {
        CallWatchdog.forget(guard);
    }
}
