package io.wasmgateway.gateway.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.wasmgateway.gateway.WasmModuleRegistry;
import io.wasmgateway.host.ProxyWasmModule;

/**
 * Gauges {@code wasm.instances} and {@code wasm.instances.broken}, and the counter {@code wasm.instances.replaced},
 * tagged module.
 */
public class WasmModuleMeters implements MeterBinder {

    private final WasmModuleRegistry modules;

    public WasmModuleMeters(WasmModuleRegistry modules) {
        this.modules = modules;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String name : modules.names()) {
            // looked up on every read: a reload replaces the module
            Gauge.builder("wasm.instances", () -> modules.find(name).map(ProxyWasmModule::instanceCount).orElse(0))
                .description("VM instances of the module")
                .tag("module", name)
                .register(registry);
            Gauge.builder("wasm.instances.broken",
                    () -> modules.find(name).map(ProxyWasmModule::brokenInstanceCount).orElse(0))
                .description("VM instances of the module that broke on a trap and are not replaced")
                .tag("module", name)
                .register(registry);
            // of the module's current version: a reload starts it again
            FunctionCounter.builder("wasm.instances.replaced", modules,
                    m -> m.find(name).map(ProxyWasmModule::replacedInstanceCount).orElse(0L))
                .description("Broken VM instances of the module replaced by fresh ones")
                .tag("module", name)
                .register(registry);
        }
    }
}
