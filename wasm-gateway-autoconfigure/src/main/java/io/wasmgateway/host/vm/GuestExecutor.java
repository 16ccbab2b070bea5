package io.wasmgateway.host.vm;

import com.dylibso.chicory.wasm.types.NameCustomSection;

import io.wasmgateway.host.BrokenInstanceException;
import io.wasmgateway.host.CallbackObserver;
import io.wasmgateway.host.ModuleLimits;
import io.wasmgateway.host.WasmTrapException;
import io.wasmgateway.host.abi.AbiContext;
import io.wasmgateway.host.vm.GuestCallbacks.Callback;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Runs guest work on one VM instance: one call at a time (its lane: inline when the lane is free, else queued
 * behind the holder, never blocking), each under the module's execution budget, both in one {@link GuardedLane},
 * and a trap (or a call past its budget) breaks the instance for good: later work on it is skipped and fails
 * fast, or completes with its {@code whenBroken} value.
 */
final class GuestExecutor {

    /** What the executor does on the instance it runs for, before, after and on a trap (lane). */
    interface Guest {

        /** The work is about to run with {@code context} effective. */
        void entered(Callback callback, AbiContext context);

        /** The work has returned or thrown: no context is effective any more. */
        void left();

        /** The callback the guest is in now (the work may call several). */
        Callback running();

        /** Whether the work that returned asked for something (resumptions, outbound calls). */
        boolean hasWorkAfterReturn();

        /** The work returned: what it asked for goes out now, the call ended. */
        void returned();

        /** The instance just broke: what waits on it fails, the module replaces it. */
        void broke();
    }

    private final ModuleIdentity identity;
    private final int index;
    private final CallbackObserver observer;
    private final GuardedLane lane = new GuardedLane();
    private final long callbackBudgetNanos;
    private final long coldCallbackBudgetNanos;
    private final long startBudgetNanos;
    private final ColdCode coldCode;
    private Guest guest;
    private NameCustomSection guestNames; // the module's function names, for the guest stack of a trap
    private volatile String brokenReason;
    private volatile boolean servedCallback; // whether a callback ever returned normally here

    GuestExecutor(ModuleIdentity identity, int index, CallbackObserver observer, ModuleLimits limits,
            ColdCode coldCode) {
        this.identity = identity;
        this.index = index;
        this.observer = observer;
        this.callbackBudgetNanos = limits.callbackTimeout().toNanos();
        this.coldCallbackBudgetNanos = limits.coldCallbackTimeout().toNanos();
        this.startBudgetNanos = limits.startTimeout().toNanos();
        this.coldCode = coldCode;
    }

    /** Once the instance exists: what to run for, and the names for its trap messages; watched from now on. */
    void attach(Guest guest, NameCustomSection guestNames) {
        this.guest = guest;
        this.guestNames = guestNames;
        CallWatchdog.watch(lane);
    }

    /** Leaves the watchdog (the instance is released). */
    void detach() {
        CallWatchdog.forget(lane);
    }

    /** Runs an instance's start function under the start budget (while it is built: its lane is free). */
    void runStart(Runnable start) {
        lane.tryEnterCall();
        lane.budget(startBudgetNanos);
        boolean interrupted = false;
        try {
            try {
                start.run();
            } finally {
                interrupted = lane.end();
                lane.leave();
            }
        } catch (LoadProblem problem) {
            throw interrupted ? new LoadProblem("start function " + Traps.pastBudget(startBudgetNanos,
                    "start-timeout"), problem) : problem;
        }
    }

    boolean isBroken() {
        return brokenReason != null;
    }

    /** Why the instance broke, "callback: reason (guest stack: ...)", or null while it is healthy. */
    String brokenReason() {
        return brokenReason;
    }

    boolean servedCallback() {
        return servedCallback;
    }

    /** Before a fresh instance takes its slot: counts what it serves from then on only. */
    void resetServed() {
        servedCallback = false;
    }

    /** Hands a task to the lane (from any thread). */
    void execute(Runnable task) {
        lane.execute(task);
    }

    /**
     * Runs guest work on the lane with {@code context} as the effective context, completing the returned
     * future after the work returns (so nothing the guest triggers completes inside its own callback). A trap
     * completes it with {@link WasmTrapException} and breaks the instance. On a broken instance the work is
     * skipped: the future fails fast, or completes with {@code whenBroken} when one is given.
     */
    <T> CompletableFuture<T> run(Callback callback, AbiContext context, VmInstance.GuestWork<T> work,
            VmInstance.GuestWork<T> whenBroken) {
        return run(callback, context, callbackBudgetNanos, work, whenBroken);
    }

    /** {@link #run} under the start budget: creating and finishing root contexts. */
    <T> CompletableFuture<T> runRootWork(Callback callback, AbiContext context, VmInstance.GuestWork<T> work,
            VmInstance.GuestWork<T> whenBroken) {
        return run(callback, context, startBudgetNanos, work, whenBroken);
    }

    /**
     * {@link #run}, for the callbacks of every request: when the lane is free the work runs inline and its result
     * comes back as an already completed stage ({@link CompletedStages}: a shared one for the common outcomes),
     * so no future is made or completed.
     */
    <C extends AbiContext, T> CompletionStage<T> runStage(Callback callback, C context, boolean endOfStream,
            VmInstance.ContextWork<C, T> work, VmInstance.ContextWork<C, T> whenBroken) {
        if (!lane.tryEnterCall()) {
            return runQueued(callback, context, endOfStream, callbackBudgetNanos, work, whenBroken);
        }
        try {
            return CompletedStages.of(runCall(callback, context, endOfStream, callbackBudgetNanos, work, whenBroken,
                    true));
        } catch (WasmTrapException trap) {
            return CompletableFuture.failedFuture(trap); // a full future: StreamContext asks whether it is done
        }
    }

    private <T> CompletableFuture<T> run(Callback callback, AbiContext context, long budgetNanos,
            VmInstance.GuestWork<T> work, VmInstance.GuestWork<T> whenBroken) {
        if (!lane.tryEnterCall()) {
            return runQueued(callback, context, false, budgetNanos, work, whenBroken);
        }
        try { // free: run inline (no task to allocate and queue)
            return CompletableFuture.completedFuture(runCall(callback, context, false, budgetNanos, work,
                    whenBroken, true));
        } catch (WasmTrapException trap) {
            return CompletableFuture.failedFuture(trap);
        }
    }

    private <C extends AbiContext, T> CompletableFuture<T> runQueued(Callback callback, C context,
            boolean endOfStream, long budgetNanos, VmInstance.ContextWork<C, T> work,
            VmInstance.ContextWork<C, T> whenBroken) {
        CompletableFuture<T> result = new CompletableFuture<>();
        lane.execute(() -> {
            lane.enterCall();
            try {
                result.complete(runCall(callback, context, endOfStream, budgetNanos, work, whenBroken, false));
            } catch (WasmTrapException trap) {
                result.completeExceptionally(trap);
            }
        });
        return result;
    }

    /** A lane task's guest work whose outcome nobody waits for (a trap has broken the instance already). */
    void runDetached(Callback callback, AbiContext context, VmInstance.GuestWork<?> work) {
        lane.enterCall();
        try {
            runCall(callback, context, false, callbackBudgetNanos, work, (ignoredContext, ignoredEnd) -> null,
                    false);
        } catch (WasmTrapException ignored) {
            // logged and handled by runCall
        }
    }

    /**
     * Runs the work of a call just started on the lane, then what it asked for; ends the call, and gives the lane
     * back when {@code inline} (a task's lane goes back when the task is over). Small on purpose, the rare paths
     * in methods of their own: the JIT inlines it into each callback's call site, where the work is known.
     *
     * @return what the work returned, or {@code whenBroken}'s value on a broken instance
     * @throws WasmTrapException when the work traps or runs past its budget (the instance is broken then), or
     *     when the instance is broken and there is no {@code whenBroken}
     */
    private <C extends AbiContext, T> T runCall(Callback callback, C context, boolean endOfStream, long budgetNanos,
            VmInstance.ContextWork<C, T> work, VmInstance.ContextWork<C, T> whenBroken, boolean inline) {
        if (brokenReason != null) {
            return skipOnBroken(callback, context, endOfStream, whenBroken, inline);
        }
        boolean callbackBudget = budgetNanos == callbackBudgetNanos;
        long budget = callbackBudget ? coldCode.budget(budgetNanos, coldCallbackBudgetNanos) : budgetNanos;
        guest.entered(callback, context);
        long start = clock();
        lane.budget(budget);
        T value;
        try {
            value = work.run(context, endOfStream);
        } catch (Throwable error) {
            throw trappedIn(callback, error, budget, budgetNanos, callbackBudget, start, inline);
        }
        guest.left();
        returned(callback, start, inline);
        return value;
    }

    /** The work returned: ends the call, then starts what it asked for while still holding the lane. */
    private void returned(Callback callback, long start, boolean inline) {
        boolean postWork = guest.hasWorkAfterReturn();
        boolean leave = inline;
        try {
            if (inline && !postWork && lane.tryEndAndLeave()) {
                leave = false; // the common case: the call ended and the lane went back in one step
            } else {
                lane.end();
            }
            observer.callback(identity.name(), callback.exportName(), clock() - start, false);
            if (!servedCallback) {
                servedCallback = true; // written once: a volatile store on every callback would cost a fence each
            }
            if (postWork) {
                guest.returned();
            }
        } finally {
            if (leave) {
                lane.leave();
            }
        }
    }

    /** On a broken instance the work is skipped: {@code whenBroken}'s value, or a failure naming the trap. */
    private <C extends AbiContext, T> T skipOnBroken(Callback callback, C context, boolean endOfStream,
            VmInstance.ContextWork<C, T> whenBroken, boolean inline) {
        try {
            lane.end();
            if (whenBroken != null) {
                return whenBroken.run(context, endOfStream);
            }
            throw new BrokenInstanceException("wasm module '" + identity.name() + "' cannot run " + callback
                    + ": its VM instance broke on an earlier trap (" + brokenReason + ")");
        } finally {
            if (inline) {
                lane.leave();
            }
        }
    }

    /** The work threw: ends the call first (before anything else runs on this thread), then breaks the instance. */
    private WasmTrapException trappedIn(Callback callback, Throwable error, long budget, long budgetNanos,
            boolean callbackBudget, long start, boolean inline) {
        boolean interrupted = lane.end();
        try {
            return trapped(callback, error, interrupted, budget, budgetNanos, callbackBudget, start);
        } finally {
            guest.left();
            if (inline) {
                lane.leave();
            }
        }
    }

    /** Breaks the instance on a trap (or a call past its budget): the exception to throw. */
    private WasmTrapException trapped(Callback callback, Throwable error, boolean interrupted, long budget,
            long budgetNanos, boolean callbackBudget, long start) {
        observer.callback(identity.name(), callback.exportName(), clock() - start, true);
        String where = guest.running().exportName();
        String reason = interrupted ? Traps.pastBudget(budget, !callbackBudget ? "start-timeout"
                : budget == budgetNanos ? "callback-timeout" : "cold-callback-timeout") : Traps.reason(error);
        String stack = GuestStack.describe(error, guestNames);
        if (stack != null) {
            reason += " (guest stack: " + stack + ")";
        }
        breakOn(where + ": " + reason);
        guest.broke();
        return identity.trap(where, reason, error);
    }

    private void breakOn(String reason) {
        brokenReason = reason;
        identity.logger().error("VM instance {} of wasm module '{}' is broken: {}", index,
                identity.name(), reason);
    }

    /** Callback durations are for the observer: without one, skip reading the clock (twice per callback). */
    private long clock() {
        return observer == CallbackObserver.NONE ? 0 : System.nanoTime();
    }
}
