package io.wasmgateway.host.vm;

import com.dylibso.chicory.runtime.ExecutionCompletedException;
import com.dylibso.chicory.wasi.WasiExitException;

/** Readable reasons for what stopped a guest call. */
final class Traps {

    private Traps() {
    }

    /** The cause a future completed with (without the CompletionException the JDK wraps it in). */
    static Throwable unwrap(Throwable error) {
        return error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
    }

    /** An interrupted call: it ran past its execution budget. */
    static String pastBudget(long budgetNanos, String property) {
        return "ran past its execution budget of " + java.time.Duration.ofNanos(budgetNanos).toMillis()
                + " ms (" + property + ") and was interrupted";
    }

    static String reason(Throwable error) {
        if (error instanceof StackOverflowError) {
            return "call stack exhausted (StackOverflowError)";
        }
        if (error instanceof WasiExitException exit) {
            return "proc_exit(" + exit.exitCode() + ")";
        }
        if (error instanceof OutOfMemoryError) {
            return "out of memory (OutOfMemoryError)";
        }
        if (error instanceof ExecutionCompletedException) {
            return "proc_exit(0)";
        }
        String message = error.getMessage();
        return message == null || message.isBlank() ? error.getClass().getSimpleName() : message;
    }
}
