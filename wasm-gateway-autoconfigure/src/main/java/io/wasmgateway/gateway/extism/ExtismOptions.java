package io.wasmgateway.gateway.extism;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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

    /**
     * The hosts the plugin may send its own HTTP requests to (Extism's http_request): names, or {@code *.suffix}.
     * Extism makes these requests blocking, so the calls of a module with allowed hosts run on a thread that may
     * block (Reactor's bounded elastic scheduler) instead of the event loop. Default: none (a plugin that
     * imports http_request does not load).
     */
    private List<String> allowedHosts = new ArrayList<>();

    /** How long one of the plugin's own HTTP requests may take, connecting included. Default 5s. */
    private Duration httpTimeout = Duration.ofSeconds(5);

    public List<String> getAllowedHosts() {
        return allowedHosts;
    }

    public void setAllowedHosts(List<String> allowedHosts) {
        this.allowedHosts = allowedHosts;
    }

    public Duration getHttpTimeout() {
        return httpTimeout;
    }

    public void setHttpTimeout(Duration httpTimeout) {
        this.httpTimeout = httpTimeout;
    }

    public Map<String, String> getConfig() {
        return config;
    }

    public void setConfig(Map<String, String> config) {
        this.config = config;
    }
}
