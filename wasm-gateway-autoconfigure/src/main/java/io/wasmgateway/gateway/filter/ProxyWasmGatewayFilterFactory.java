package io.wasmgateway.gateway.filter;

import io.micrometer.observation.ObservationRegistry;
import java.util.List;

import io.wasmgateway.gateway.WasmModuleLoadException;
import io.wasmgateway.gateway.exchange.FailedModuleFilter;
import io.wasmgateway.gateway.exchange.ProxyWasmGatewayFilter;
import io.wasmgateway.host.FailurePolicy;
import io.wasmgateway.host.PluginHandle;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.cloud.gateway.support.HasRouteId;
import org.springframework.core.style.ToStringCreator;

/**
 * {@code ProxyWasm}: runs a Proxy-Wasm module's HTTP filter on a route.
 *
 * <pre>
 * filters:
 *   - ProxyWasm=headers                                  # module only
 *   - ProxyWasm=headers, request add x-a: 1, 2           # everything after the first comma is the configuration
 *   - name: ProxyWasm
 *     args:
 *       module: headers
 *       root-id: my_root
 *       config: "request add x-a: 1"                     # a string, or a YAML map passed to the filter as JSON
 * </pre>
 *
 * From the Java route DSL:
 *
 * <pre>
 * builder.routes()
 *     .route("echo", r -> r.path("/echo/**")
 *         .filters(f -> f.filter(proxyWasm.apply(c -> c.setModule("headers").setConfig("request add x-a: 1"))))
 *         .uri("http://localhost:9000"))
 *     .build();
 * </pre>
 *
 * The plugin (root contexts with proxy_on_configure) is created when the route is built, not on the first
 * request, and shared by every route that uses the same module, root id and configuration.
 */
public class ProxyWasmGatewayFilterFactory extends AbstractGatewayFilterFactory<ProxyWasmGatewayFilterFactory.Config> {

    /** The name routes use. */
    public static final String NAME = "ProxyWasm";

    private final ProxyWasmPlugins plugins;

    private final ObservationRegistry observations;

    public ProxyWasmGatewayFilterFactory(ProxyWasmPlugins plugins) {
        this(plugins, ObservationRegistry.NOOP);
    }

    /** With an observation around each filter's request processing (a span per module under a tracer). */
    public ProxyWasmGatewayFilterFactory(ProxyWasmPlugins plugins, ObservationRegistry observations) {
        super(Config.class);
        this.plugins = plugins;
        this.observations = observations;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> shortcutFieldOrder() {
        // ProxyWasmFilterDefinitions joins a configuration split at its commas back into one "config" value
        return List.of("module", "config");
    }

    @Override
    public GatewayFilter apply(Config config) {
        if (config.getModule() == null || config.getModule().isBlank()) {
            throw new IllegalArgumentException("ProxyWasm on route '" + config.getRouteId() + "' needs a module");
        }
        String module = config.getModule().trim();
        FailurePolicy failed = plugins.failedModulePolicy(module).orElse(null);
        if (failed != null) {
            return new FailedModuleFilter(module, failed); // not required, and could not load
        }
        PluginHandle plugin;
        try {
            plugin = plugins.plugin(config.getRouteId(), module, config.getRootId(), config.getConfig());
        }
        catch (WasmModuleLoadException ex) {
            return new FailedModuleFilter(module, plugins.pluginFailed(module, ex).orElseThrow(() -> ex));
        }
        return new ProxyWasmGatewayFilter(plugin, module, plugins.maxBufferedBody(module), observations);
    }

    /** The arguments of one {@code ProxyWasm} filter. */
    public static class Config implements HasRouteId {

        private String module;

        private String config;

        private String rootId;

        private String routeId;

        public String getModule() {
            return module;
        }

        /** The module's name, as declared under {@code wasm.gateway.modules}. Required. */
        public Config setModule(String module) {
            this.module = module;
            return this;
        }

        public String getConfig() {
            return config;
        }

        /** The plugin configuration the filter reads in proxy_on_configure. Default: empty. */
        public Config setConfig(String config) {
            this.config = config;
            return this;
        }

        /** Sets the plugin configuration to a value written as JSON (a Map, a List, a record...). */
        public Config withJsonConfig(Object value) {
            this.config = JsonMapper.shared().writeValueAsString(value);
            return this;
        }

        public String getRootId() {
            return rootId;
        }

        /** The root id; default: the module's {@code root-id}. */
        public Config setRootId(String rootId) {
            this.rootId = rootId;
            return this;
        }

        @Override
        public String getRouteId() {
            return routeId;
        }

        @Override
        public void setRouteId(String routeId) {
            this.routeId = routeId;
        }

        @Override
        public String toString() {
            return new ToStringCreator(this).append("module", module).append("rootId", rootId).toString();
        }
    }
}
