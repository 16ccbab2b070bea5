package io.wasmgateway.gateway.schema;

import io.wasmgateway.gateway.WasmModuleLoadException;

/**
 * A route's plugin configuration that its module's {@code config-schema} refuses. It is a
 * {@link WasmModuleLoadException} because it is handled like a plugin whose proxy_on_configure fails: it stops
 * the startup (or, for a module that is not required, fails the module), and it fails a reload.
 */
public class PluginConfigurationException extends WasmModuleLoadException {

    private final String routeId;

    private final String pointer;

    private final String schemaLocation;

    public PluginConfigurationException(String routeId, String module, String moduleLocation, String schemaLocation,
            String pointer, String problems) {
        super(module, moduleLocation, "the configuration of route '" + routeId + "' does not match its config-schema "
                + schemaLocation + ": " + problems, null);
        this.routeId = routeId;
        this.pointer = pointer;
        this.schemaLocation = schemaLocation;
    }

    public String routeId() {
        return routeId;
    }

    /** The JSON pointer of the first bad value ("" for the whole configuration). */
    public String pointer() {
        return pointer;
    }

    @Override
    public String action() {
        return "Fix the ProxyWasm configuration of route '" + routeId + "' at "
                + (pointer.isEmpty() ? "its root" : pointer) + " to match " + schemaLocation
                + " (wasm.gateway.modules." + module() + ".config-schema).";
    }
}
