package io.wasmgateway.gateway;

/** What a configured module is, and so which route filters can use it. */
public enum ModuleKind {

    /** A Proxy-Wasm filter, for {@code ProxyWasm=<module>}. */
    PROXY_WASM,

    /** An Extism plugin, for {@code WasmRewrite=<module>, <function>} and {@code WasmContent=<module>, <function>}. */
    EXTISM;

    /** As written in configuration: proxy-wasm, extism. */
    public String configName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
