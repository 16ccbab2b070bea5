package io.wasmgateway.gateway.extism;

import io.micrometer.observation.ObservationRegistry;
import io.wasmgateway.host.CallbackObserver;
import io.wasmgateway.host.FailurePolicy;

import org.springframework.cloud.gateway.filter.GatewayFilter;

/**
 * {@code WasmRewrite}: calls an Extism plugin's export in the request phase; its JSON reply changes the request
 * (headers, path, query) or answers it locally.
 *
 * <pre>
 * filters:
 *   - WasmRewrite=apikeys, check                    # module, function
 *   - name: WasmRewrite
 *     args:
 *       module: apikeys
 *       function: check
 *       config: "tenant-a"                           # handed to the export as the envelope's "config"
 *       body: true                                   # the envelope carries the request body
 * </pre>
 */
public class WasmRewriteGatewayFilterFactory extends ExtismFilterFactory {

    /** The name routes use. */
    public static final String NAME = "WasmRewrite";

    public WasmRewriteGatewayFilterFactory(ExtismModules modules, CallbackObserver observer,
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
        return new WasmRewriteGatewayFilter(modules, config, failedModule, observer, observations);
    }
}
