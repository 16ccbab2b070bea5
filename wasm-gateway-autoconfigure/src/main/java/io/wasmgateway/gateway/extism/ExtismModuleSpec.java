package io.wasmgateway.gateway.extism;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.wasmgateway.gateway.WasmModuleLoadException;
import io.wasmgateway.host.FailurePolicy;

/**
 * What an Extism plugin is loaded from and with: its bytes, the Extism manifest options (configuration,
 * memory limit) and the limits every module has (instances, budgets, failure policy, body size).
 *
 * @param compiled Chicory's runtime compiler (Extism's AoT option) rather than its interpreter
 * @param maxBody how much of a request body a route may put in the envelope, or of a response the plugin's own
 *     HTTP request may bring ({@code max-buffered-body})
 * @param allowedHosts where the plugin's own HTTP requests may go; empty: it may make none
 */
public record ExtismModuleSpec(String name, String location, byte[] bytes, String sha256, Map<String, String> config,
        int instances, int maxMemoryPages, long callbackBudgetNanos, long startBudgetNanos,
        FailurePolicy failurePolicy, boolean compiled, int maxBody, List<String> allowedHosts,
        Duration httpTimeout) {

    /** Whether the plugin may make HTTP requests, which block: its calls then run off the event loops. */
    boolean blocking() {
        return !allowedHosts.isEmpty();
    }

    WasmModuleLoadException loadFailure(String reason, Throwable cause) {
        return new WasmModuleLoadException(name, location, reason, cause);
    }
}
