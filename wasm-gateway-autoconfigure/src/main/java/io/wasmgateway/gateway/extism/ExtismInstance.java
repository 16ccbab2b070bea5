package io.wasmgateway.gateway.extism;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import io.wasmgateway.host.CallbackObserver;
import io.wasmgateway.host.vm.GuestCallBudget;
import io.wasmgateway.host.vm.SerialLane;
import org.extism.sdk.chicory.ExtismFunctionException;
import org.extism.sdk.chicory.Plugin;

/**
 * One instance of an Extism plugin. Its calls never overlap: each runs on the instance's {@link SerialLane},
 * inline on the calling thread when the instance is free, otherwise right after the running call, on the thread
 * that holds the lane (nothing parks a thread). Each call runs under the module's budget; a call that traps or
 * runs past it breaks the instance, which its module then replaces.
 */
final class ExtismInstance {

    private final Plugin plugin;

    private final String module;

    private final SerialLane lane = new SerialLane();

    private final GuestCallBudget budget = new GuestCallBudget();

    private volatile boolean broken;

    ExtismInstance(Plugin plugin, String module) {
        this.plugin = plugin;
        this.module = module;
    }

    boolean broken() {
        return broken;
    }

    /**
     * Calls {@code function} with {@code input}; the future completes with its output, or with an
     * {@link ExtismCallException}. {@code onBroken} hears of a trap (once).
     */
    CompletableFuture<byte[]> call(String function, byte[] input, long budgetNanos, CallbackObserver observer,
            Consumer<ExtismInstance> onBroken) {
        if (lane.tryEnter()) {
            Object outcome;
            try {
                outcome = run(function, input, budgetNanos, observer, onBroken);
            }
            finally {
                lane.leave();
            }
            return completed(outcome); // completed off the lane: what the caller does next does not hold it
        }
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        lane.execute(() -> complete(result, run(function, input, budgetNanos, observer, onBroken)));
        return result;
    }

    /** The output (byte[]) or the failure (ExtismCallException). */
    private Object run(String function, byte[] input, long budgetNanos, CallbackObserver observer,
            Consumer<ExtismInstance> onBroken) {
        if (broken) {
            return new ExtismCallException(ExtismCallException.Kind.UNAVAILABLE, module, function,
                    "its instance broke on an earlier trap and is being replaced", null);
        }
        long start = System.nanoTime();
        boolean interrupted = false;
        try {
            byte[] output;
            budget.enter(budgetNanos);
            try {
                output = plugin.call(function, input);
            }
            finally {
                interrupted = budget.exit(); // before anything else runs on this thread
            }
            observer.callback(module, function, System.nanoTime() - start, false);
            return output == null ? new byte[0] : output;
        }
        catch (ExtismFunctionException error) {
            if (!interrupted) { // the export returned 1: the instance is fine
                observer.callback(module, function, System.nanoTime() - start, false);
                return new ExtismCallException(ExtismCallException.Kind.PLUGIN_ERROR, module, function,
                        pluginMessage(function, error), error);
            }
            return trapped(function, error, true, budgetNanos, start, observer, onBroken);
        }
        catch (Throwable error) { // a trap, an interrupt, a StackOverflowError: the instance's state is lost
            return trapped(function, error, interrupted, budgetNanos, start, observer, onBroken);
        }
    }

    private ExtismCallException trapped(String function, Throwable error, boolean interrupted, long budgetNanos,
            long start, CallbackObserver observer, Consumer<ExtismInstance> onBroken) {
        observer.callback(module, function, System.nanoTime() - start, true);
        broken = true;
        onBroken.accept(this);
        String reason = interrupted ? GuestCallBudget.pastBudget(budgetNanos, "callback-timeout")
                : GuestCallBudget.reason(error);
        return new ExtismCallException(ExtismCallException.Kind.TRAP, module, function, reason, error);
    }

    /** The plugin's own message, without the SDK's "function f returned an error: " before it. */
    private static String pluginMessage(String function, ExtismFunctionException error) {
        String message = String.valueOf(error.getMessage());
        String prefix = "function " + function + " returned an error: ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    /** Stops watching this instance's budget; the plugin itself holds nothing but heap. */
    void close() {
        budget.close();
    }

    private static CompletableFuture<byte[]> completed(Object outcome) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        complete(result, outcome);
        return result;
    }

    private static void complete(CompletableFuture<byte[]> result, Object outcome) {
        if (outcome instanceof byte[] output) {
            result.complete(output);
        }
        else {
            result.completeExceptionally((Throwable) outcome);
        }
    }
}
