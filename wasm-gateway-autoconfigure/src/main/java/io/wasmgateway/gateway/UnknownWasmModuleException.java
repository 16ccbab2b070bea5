package io.wasmgateway.gateway;

import java.util.Collection;

/** A route that uses a module no {@code wasm.gateway.modules.<name>} declares. */
public class UnknownWasmModuleException extends WasmStartupException {

    private final String module;

    private final String routeId;

    public UnknownWasmModuleException(String routeId, String module, Collection<String> configured) {
        super((routeId != null ? "Route '" + routeId + "'" : "A route") + " uses the wasm module '" + module
                + "', which is not configured (configured modules: "
                + (configured.isEmpty() ? "none" : String.join(", ", configured)) + ")", null);
        this.module = module;
        this.routeId = routeId;
    }

    public String module() {
        return module;
    }

    public String routeId() {
        return routeId;
    }

    @Override
    public String action() {
        return "Declare the module with wasm.gateway.modules." + module + ".location, or fix the module name in "
                + (routeId != null ? "route '" + routeId + "'." : "the route.");
    }
}
