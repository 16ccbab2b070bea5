package io.wasmgateway.gateway.extism;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code GET /actuator/extism}: the modules of kind extism (where from, SHA-256, exports, instances) and the
 * functions routes call. Reload them with {@code POST /actuator/wasm/modules/<name>/reload}.
 */
@Endpoint(id = "extism", defaultAccess = Access.READ_ONLY)
public class ExtismEndpoint {

    private final ExtismModules modules;

    public ExtismEndpoint(ExtismModules modules) {
        this.modules = modules;
    }

    @ReadOperation
    public Map<String, Object> extism() {
        Map<String, Object> loaded = new LinkedHashMap<>();
        modules.loaded().forEach((name, module) -> {
            Map<String, Object> facts = new LinkedHashMap<>();
            facts.put("location", module.spec().location());
            facts.put("sha256", module.spec().sha256());
            facts.put("size", module.spec().bytes().length);
            facts.put("functions", module.functions());
            facts.put("instances", module.instanceCount());
            facts.put("broken", module.brokenInstanceCount());
            facts.put("replaced", module.replacedInstanceCount());
            facts.put("failurePolicy", ExtismModules.policyName(module.failurePolicy()));
            facts.put("allowedHosts", module.spec().allowedHosts());
            facts.put("loadedAt", module.loadedAt());
            facts.put("loadMillis", module.loadMillis());
            loaded.put(name, facts);
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("modules", loaded);
        body.put("failedModules", modules.failures());
        body.put("routeFunctions", modules.usedFunctions());
        return body;
    }
}
