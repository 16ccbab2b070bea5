package io.wasmgateway.gateway;

/** A configured module (or a plugin of it) that cannot be loaded, started or configured. */
public class WasmModuleLoadException extends WasmStartupException {

    private final String module;

    private final String location;

    private final String reason;

    public WasmModuleLoadException(String module, String location, String reason, Throwable cause) {
        super("Wasm module '" + module + "' (" + location + ") cannot be used: " + reason, cause);
        this.module = module;
        this.location = location;
        this.reason = reason;
    }

    public String module() {
        return module;
    }

    public String location() {
        return location;
    }

    public String reason() {
        return reason;
    }

    @Override
    public String action() {
        return "Check wasm.gateway.modules." + module + ".location (" + location
                + ") and the module's configuration, or remove the module and the routes that use it.";
    }
}
