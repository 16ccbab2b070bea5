package io.wasmgateway.host.vm;

import com.dylibso.chicory.runtime.ExecutionCompletedException;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasi.WasiExitException;

import java.util.Set;

/**
 * Starts an instance as the spec says: a reactor's {@code _initialize} (then {@code main(0, 0)} if exported),
 * otherwise a command's {@code _start}, where exiting with proc_exit(0) is a normal end.
 */
final class StartFunctions {

    private StartFunctions() {
    }

    static void run(Instance instance, Set<String> functionExports) {
        if (functionExports.contains("_initialize")) {
            call(instance, "_initialize");
            if (functionExports.contains("main")) {
                call(instance, "main");
            }
        } else if (functionExports.contains("_start")) {
            call(instance, "_start");
        }
    }

    private static void call(Instance instance, String name) {
        try {
            int params = instance.exportType(name).params().size();
            instance.export(name).apply(new long[params]); // main(0, 0)
        } catch (ExecutionCompletedException e) {
            // proc_exit(0)
        } catch (WasiExitException e) {
            if (e.exitCode() != 0) {
                throw new LoadProblem("start function " + name + " exited with proc_exit(" + e.exitCode() + ")", e);
            }
        } catch (RuntimeException | StackOverflowError e) {
            throw new LoadProblem("start function " + name + " trapped: " + Traps.reason(e), e);
        }
    }
}
