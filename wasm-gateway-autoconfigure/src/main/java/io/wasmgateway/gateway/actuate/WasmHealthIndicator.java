package io.wasmgateway.gateway.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import io.wasmgateway.gateway.WasmModuleRegistry;
import io.wasmgateway.host.ProxyWasmModule;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health contributor {@code wasm}: UP when every module is loaded and none has failed (all of its instances
 * broken and not replaced, or, for a module that is not required, it could not load or configure); DOWN
 * otherwise, with each module's instances, broken and replaced instances (or its failure) in the details.
 */
public class WasmHealthIndicator implements HealthIndicator {

    private final WasmModuleRegistry modules;

    public WasmHealthIndicator(WasmModuleRegistry modules) {
        this.modules = modules;
    }

    @Override
    public Health health() {
        boolean up = true;
        Map<String, Object> details = new LinkedHashMap<>();
        for (String name : modules.names()) {
            ProxyWasmModule module = modules.find(name).orElseThrow();
            boolean failed = module.brokenInstanceCount() == module.instanceCount();
            up &= !failed;
            details.put(name, Map.of("status", failed ? "FAILED" : "LOADED", "instances", module.instanceCount(),
                    "broken", module.brokenInstanceCount(), "replaced", module.replacedInstanceCount()));
        }
        for (WasmModuleRegistry.FailedModule failure : modules.failures().values()) {
            up = false;
            details.put(failure.name(), Map.of("status", "FAILED", "reason", failure.reason(), "failurePolicy",
                    failure.failurePolicy().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')));
        }
        return (up ? Health.up() : Health.down()).withDetails(details).build();
    }
}
