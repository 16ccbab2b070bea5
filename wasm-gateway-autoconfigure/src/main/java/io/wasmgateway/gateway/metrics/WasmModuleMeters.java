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
            ProxyWasmModule module = modules.find(name).orElseThrow();
            Gauge.builder("wasm.instances", module, ProxyWasmModule::instanceCount)
                .description("VM instances of the module")
                .tag("module", name)
                .register(registry);
            Gauge.builder("wasm.instances.broken", module, ProxyWasmModule::brokenInstanceCount)
                .description("VM instances of the module that broke on a trap and are not replaced")
                .tag("module", name)
                .register(registry);
            FunctionCounter.builder("wasm.instances.replaced", module, ProxyWasmModule::replacedInstanceCount)
                .description("Broken VM instances of the module replaced by fresh ones")
                .tag("module", name)
                .register(registry);
        }
    }
}
