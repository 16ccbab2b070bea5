package io.wasmgateway.host;

import java.time.Duration;
import java.util.Objects;

/**
 * How far a module's guest code may go.
 *
 * @param callbackTimeout the execution budget of one callback (and of a request's proxy_on_done, proxy_on_log and
 *     proxy_on_delete together); a callback past it is interrupted and counts as a trap. Zero: no budget
 * @param startTimeout the budget of an instance's start function, and of a root context's
 *     proxy_on_context_create, proxy_on_vm_start and proxy_on_configure together. Zero: no budget
 * @param maxMemoryPages the most pages (64 KiB) of linear memory one instance may grow to
 * @param failurePolicy what a failure means for requests and for replacing instances
 */
public record ModuleLimits(Duration callbackTimeout, Duration startTimeout, int maxMemoryPages,
        FailurePolicy failurePolicy) {

    /** 100 ms per callback, 10 s to start, 128 MiB of memory, fail-closed. */
    public static final ModuleLimits DEFAULTS = new ModuleLimits(Duration.ofMillis(100), Duration.ofSeconds(10),
            2048, FailurePolicy.FAIL_CLOSED);

    public ModuleLimits {
        Objects.requireNonNull(callbackTimeout, "callbackTimeout");
        Objects.requireNonNull(startTimeout, "startTimeout");
        Objects.requireNonNull(failurePolicy, "failurePolicy");
        if (callbackTimeout.isNegative() || startTimeout.isNegative()) {
            throw new IllegalArgumentException("timeouts cannot be negative");
        }
        if (maxMemoryPages < 1 || maxMemoryPages > io.wasmgateway.host.abi.Limits.MAX_MEMORY_PAGES) {
            throw new IllegalArgumentException("max memory must be between 1 and "
                    + io.wasmgateway.host.abi.Limits.MAX_MEMORY_PAGES + " pages (64 KiB to 1 GiB), was "
                    + maxMemoryPages + " pages");
        }
    }
}
