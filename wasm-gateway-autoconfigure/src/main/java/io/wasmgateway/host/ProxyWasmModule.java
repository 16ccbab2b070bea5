package io.wasmgateway.host;

/**
 * A loaded Proxy-Wasm module: parsed and validated once, compiled once, with its pool of VM instances created
 * eagerly (each started with _initialize/main or _start and proxy_on_vm_start).
 */
public final class ProxyWasmModule implements AutoCloseable {

    /**
     * Loads, validates, compiles and starts the module.
     *
     * @throws ModuleLoadException naming the module, its location and the reason: invalid binary, missing or
     *     unknown ABI marker, missing required exports, a failing start function, proxy_on_vm_start false
     */
    public static ProxyWasmModule load(ModuleSpec spec) {
        throw new UnsupportedOperationException("TODO");
    }

    public String name() {
        throw new UnsupportedOperationException("TODO");
    }

    public AbiVersion abiVersion() {
        throw new UnsupportedOperationException("TODO");
    }

    public int instanceCount() {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Creates a plugin: a root context with this root id and configuration on every VM instance, each
     * configured with proxy_on_configure (plugin configuration in buffer 7).
     *
     * @throws ModuleLoadException when proxy_on_configure returns false or traps
     */
    public Plugin createPlugin(String rootId, byte[] configuration) {
        throw new UnsupportedOperationException("TODO");
    }

    /** Finishes every root context (proxy_on_done, proxy_on_delete) and drops the instances. */
    @Override
    public void close() {
        throw new UnsupportedOperationException("TODO");
    }
}
