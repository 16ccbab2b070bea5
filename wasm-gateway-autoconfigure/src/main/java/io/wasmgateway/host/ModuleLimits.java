package io.wasmgateway.host;

import java.time.Duration;
import java.util.Objects;

import io.wasmgateway.host.abi.Limits;

/**
 * How far a module's guest code may go.
 *
 * @param callbackTimeout the execution budget of one callback (and of a request's proxy_on_done, proxy_on_log and
 *     proxy_on_delete together); a callback past it is interrupted and counts as a trap. Zero: no budget
 * @param startTimeout the budget of an instance's start function, and of a root context's
 *     proxy_on_context_create, proxy_on_vm_start and proxy_on_configure together. Zero: no budget
 * @param maxMemoryPages the most pages (64 KiB) of linear memory one instance may grow to
 * @param failurePolicy what a failure means for requests and for replacing instances
 * @param coldCallbackTimeout the budget of each of the module's first {@link Limits#COLD_CALLBACKS} callbacks,
 *     while its code is cold (never below {@code callbackTimeout})
 * @param recycleAfterRequests after how many HTTP contexts an instance is replaced by a fresh one (gracefully:
 *     the contexts in flight finish on it); 0: never
 * @param recycleAtMemoryBytes at how many bytes of linear memory an instance is replaced by a fresh one
 *     (gracefully); 0: never
 * @param isolation which requests share an instance
 */
public record ModuleLimits(Duration callbackTimeout, Duration startTimeout, int maxMemoryPages,
        FailurePolicy failurePolicy, Duration coldCallbackTimeout, long recycleAfterRequests,
        long recycleAtMemoryBytes, Isolation isolation) {

    /** 100 ms per callback (1 s while cold), 10 s to start, 128 MiB of memory, fail-closed. */
    public static final ModuleLimits DEFAULTS = new ModuleLimits(Duration.ofMillis(100), Duration.ofSeconds(10),
            2048, FailurePolicy.FAIL_CLOSED).withColdCallbackTimeout(Duration.ofSeconds(1));

    /** Without a cold allowance: the first callbacks have {@code callbackTimeout} too. */
    public ModuleLimits(Duration callbackTimeout, Duration startTimeout, int maxMemoryPages,
            FailurePolicy failurePolicy) {
        this(callbackTimeout, startTimeout, maxMemoryPages, failurePolicy, callbackTimeout);
    }

    /** Without recycling, requests sharing instances ({@link Isolation#NONE}). */
    public ModuleLimits(Duration callbackTimeout, Duration startTimeout, int maxMemoryPages,
            FailurePolicy failurePolicy, Duration coldCallbackTimeout) {
        this(callbackTimeout, startTimeout, maxMemoryPages, failurePolicy, coldCallbackTimeout, 0, 0,
                Isolation.NONE);
    }

    public ModuleLimits {
        Objects.requireNonNull(callbackTimeout, "callbackTimeout");
        Objects.requireNonNull(startTimeout, "startTimeout");
        Objects.requireNonNull(failurePolicy, "failurePolicy");
        Objects.requireNonNull(coldCallbackTimeout, "coldCallbackTimeout");
        isolation = isolation == null ? Isolation.NONE : isolation;
        if (callbackTimeout.isZero() || coldCallbackTimeout.compareTo(callbackTimeout) < 0) {
            coldCallbackTimeout = callbackTimeout; // no budget stays no budget; cold is never tighter than warm
        }
        if (callbackTimeout.isNegative() || startTimeout.isNegative()) {
            throw new IllegalArgumentException("timeouts cannot be negative");
        }
        if (recycleAfterRequests < 0 || recycleAtMemoryBytes < 0) {
            throw new IllegalArgumentException("recycling thresholds cannot be negative");
        }
        if (maxMemoryPages < 1 || maxMemoryPages > io.wasmgateway.host.abi.Limits.MAX_MEMORY_PAGES) {
            throw new IllegalArgumentException("max memory must be between 1 and "
                    + io.wasmgateway.host.abi.Limits.MAX_MEMORY_PAGES + " pages (64 KiB to 1 GiB), was "
                    + maxMemoryPages + " pages");
        }
    }

    public ModuleLimits withColdCallbackTimeout(Duration cold) {
        return new ModuleLimits(callbackTimeout, startTimeout, maxMemoryPages, failurePolicy, cold,
                recycleAfterRequests, recycleAtMemoryBytes, isolation);
    }

    /** With recycling after that many HTTP contexts and at that much linear memory (0: never). */
    public ModuleLimits withRecycling(long afterRequests, long atMemoryBytes) {
        return new ModuleLimits(callbackTimeout, startTimeout, maxMemoryPages, failurePolicy, coldCallbackTimeout,
                afterRequests, atMemoryBytes, isolation);
    }

    public ModuleLimits withIsolation(Isolation mode) {
        return new ModuleLimits(callbackTimeout, startTimeout, maxMemoryPages, failurePolicy, coldCallbackTimeout,
                recycleAfterRequests, recycleAtMemoryBytes, mode);
    }
}
