package io.wasmgateway.host.vm;

import com.dylibso.chicory.runtime.ExecutionCompletedException;
import com.dylibso.chicory.wasi.WasiExitException;

/** Readable reasons for what stopped a guest call. */
final class Traps {

    private Traps() {
    }

    static String reason(Throwable error) {
        if (error instanceof StackOverflowError) {
            return "call stack exhausted (StackOverflowError)";
        }
        if (error instanceof WasiExitException exit) {
            return "proc_exit(" + exit.exitCode() + ")";
        }
        if (error instanceof ExecutionCompletedException) {
            return "proc_exit(0)";
        }
        String message = error.getMessage();
        return message == null || message.isBlank() ? error.getClass().getSimpleName() : message;
    }
}
