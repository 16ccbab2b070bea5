package io.wasmgateway.gateway.extism;

import java.util.List;

import io.micrometer.observation.ObservationRegistry;
import io.wasmgateway.host.CallbackObserver;
import io.wasmgateway.host.FailurePolicy;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.cloud.gateway.support.HasRouteId;
import org.springframework.core.style.ToStringCreator;

/**
 * What the {@code WasmRewrite} and {@code WasmContent} factories share: the arguments (module, function and,
 * in the full form, config and body), checked when the route is built: the module must be an Extism plugin
 * ({@code kind: extism}) that exports the function.
 */
public abstract class ExtismFilterFactory extends AbstractGatewayFilterFactory<ExtismFilterFactory.Config> {

    private final ExtismModules modules;

    private final CallbackObserver observer;

    private final ObservationRegistry observations;

    ExtismFilterFactory(ExtismModules modules, CallbackObserver observer, ObservationRegistry observations) {
        super(Config.class);
        this.modules = modules;
        this.observer = observer;
        this.observations = observations;
    }

    @Override
    public List<String> shortcutFieldOrder() {
        return List.of("module", "function");
    }

    @Override
    public GatewayFilter apply(Config config) {
        if (config.getModule() == null || config.getModule().isBlank() || config.getFunction() == null
                || config.getFunction().isBlank()) {
            throw new IllegalArgumentException(name() + " on route '" + config.getRouteId()
                    + "' needs a module and a function: " + name() + "=<module>, <function>");
        }
        FailurePolicy failed = modules.checkRoute(config.getRouteId(), name(), config.getModule().trim(),
                config.getFunction().trim());
        return create(modules, config, failed, observer, observations);
    }

    abstract GatewayFilter create(ExtismModules modules, Config config, FailurePolicy failedModule,
            CallbackObserver observer, ObservationRegistry observations);

    /** The arguments of one {@code WasmRewrite} or {@code WasmContent} filter. */
    public static class Config implements HasRouteId {

        private String module;

        private String function;

        private String config;

        private boolean body;

        private String routeId;

        public String getModule() {
            return module;
        }

        /** The module's name, declared under {@code wasm.gateway.modules} with {@code kind: extism}. Required. */
        public Config setModule(String module) {
            this.module = module;
            return this;
        }

        public String getFunction() {
            return function;
        }

        /** The export to call. Required. */
        public Config setFunction(String function) {
            this.function = function;
            return this;
        }

        public String getConfig() {
            return config;
        }

        /** A string handed to the export in the envelope's "config" field (per route). Default: none (null). */
        public Config setConfig(String config) {
            this.config = config;
            return this;
        }

        public boolean isBody() {
            return body;
        }

        /**
         * Whether the envelope carries the request body (as "body", read as UTF-8) up to the module's
         * {@code max-buffered-body}; a larger body is answered 413. Default false.
         */
        public Config setBody(boolean body) {
            this.body = body;
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
            return new ToStringCreator(this).append("module", module)
                .append("function", function)
                .append("body", body)
                .toString();
        }
    }
}
