package io.wasmgateway.gateway.extism;

import io.micrometer.observation.ObservationRegistry;
import io.wasmgateway.host.CallbackObserver;
import io.wasmgateway.host.FailurePolicy;

import org.springframework.cloud.gateway.filter.GatewayFilter;

/**
 * {@code WasmContent}: an Extism plugin's export produces the whole response (status, headers, body), with no
 * upstream.
 *
 * <pre>
 * - id: hello
 *   uri: no://op
 *   predicates:
 *     - Path=/hello/**
 *   filters:
 *     - WasmContent=content, hello                   # module, function (full form: config, body too)
 * </pre>
 */
public class WasmContentGatewayFilterFactory extends ExtismFilterFactory {

    /** The name routes use. */
    public static final String NAME = "WasmContent";

    public WasmContentGatewayFilterFactory(ExtismModules modules, CallbackObserver observer,
            ObservationRegistry observations) {
        super(modules, observer, observations);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    GatewayFilter create(ExtismModules modules, Config config, FailurePolicy failedModule, CallbackObserver observer,
            ObservationRegistry observations) {
        return new WasmContentGatewayFilter(modules, config, failedModule, observer, observations);
    }
}
