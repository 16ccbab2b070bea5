package io.wasmgateway.gateway.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import io.wasmgateway.gateway.WasmModuleRegistry;
import io.wasmgateway.host.ProxyWasmModule;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health contributor {@code wasm}: UP when every module is loaded and none has failed (all of its instances
 * broken on traps); DOWN otherwise, with each module's instances and broken instances in the details.
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
                    "broken", module.brokenInstanceCount()));
        }
        return (up ? Health.up() : Health.down()).withDetails(details).build();
    }
}
