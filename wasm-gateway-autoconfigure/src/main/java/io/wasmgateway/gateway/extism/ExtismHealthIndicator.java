package io.wasmgateway.gateway.extism;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health contributor {@code extism}: UP when every module of kind extism is loaded and has an instance that is
 * not broken; DOWN otherwise, with each module's instances, broken and replaced instances (or its failure).
 */
public class ExtismHealthIndicator implements HealthIndicator {

    private final ExtismModules modules;

    public ExtismHealthIndicator(ExtismModules modules) {
        this.modules = modules;
    }

    @Override
    public Health health() {
        boolean up = true;
        Map<String, Object> details = new LinkedHashMap<>();
        for (Map.Entry<String, ExtismModule> entry : modules.loaded().entrySet()) {
            ExtismModule module = entry.getValue();
            boolean failed = module.brokenInstanceCount() == module.instanceCount();
            up &= !failed;
            details.put(entry.getKey(), Map.of("status", failed ? "FAILED" : "LOADED", "instances",
                    module.instanceCount(), "broken", module.brokenInstanceCount(), "replaced",
                    module.replacedInstanceCount()));
        }
        for (Map.Entry<String, String> failure : modules.failures().entrySet()) {
            up = false;
            details.put(failure.getKey(), Map.of("status", "FAILED", "reason", failure.getValue(), "failurePolicy",
                    ExtismModules.policyName(modules.failurePolicy(failure.getKey()))));
        }
        return (up ? Health.up() : Health.down()).withDetails(details).build();
    }
}
