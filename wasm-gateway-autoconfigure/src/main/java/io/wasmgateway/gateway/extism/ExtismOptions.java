package io.wasmgateway.gateway.extism;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Extism manifest options of a module with {@code kind: extism}, under
 * {@code wasm.gateway.modules.<name>.extism}. The manifest's memory limit and timeout are the module's own
 * {@code max-memory} and {@code callback-timeout}.
 */
public class ExtismOptions {

    /**
     * The plugin's configuration, read by the plugin with the PDK's config_get (e.g. {@code Config.get("keys")}
     * in AssemblyScript). Default: none.
     */
    private Map<String, String> config = new LinkedHashMap<>();

    public Map<String, String> getConfig() {
        return config;
    }

    public void setConfig(Map<String, String> config) {
        this.config = config;
    }
}
