package io.wasmgateway.gateway;

/** A route filter pointed at a module of the other kind (ProxyWasm at an Extism plugin, or the reverse). */
public class WrongModuleKindException extends WasmStartupException {

    private final String module;

    private final ModuleKind expected;

    public WrongModuleKindException(String routeId, String filter, String module, ModuleKind actual,
            ModuleKind expected) {
        super((routeId != null ? "Route '" + routeId + "'" : "A route") + " uses " + filter + " with the wasm module '"
                + module + "', which is declared kind: " + actual.configName() + "; " + filter + " needs a module of kind "
                + expected.configName(), null);
        this.module = module;
        this.expected = expected;
    }

    @Override
    public String action() {
        return expected == ModuleKind.PROXY_WASM
                ? "Use WasmRewrite=" + module + ", <function> or WasmContent=" + module
                        + ", <function> for an Extism plugin, or point the filter at a Proxy-Wasm module."
                : "Use ProxyWasm=" + module + " for a Proxy-Wasm module, or point the filter at a module with "
                        + "kind: extism.";
    }
}
