package io.wasmgateway.host.vm;

import io.wasmgateway.host.HostServices;
import io.wasmgateway.host.ModuleLoadException;
import io.wasmgateway.host.ModuleSpec;
import io.wasmgateway.host.ProxyWasmModule;
import io.wasmgateway.host.abi.Limits;

import org.slf4j.LoggerFactory;

/**
 * The VM package's one entry point ({@link ProxyWasmModule#load}): validates a module's spec, compiles the module
 * once and starts its instances. Loading problems become {@link ModuleLoadException}s naming the module, its
 * location and the reason.
 */
public final class ModuleLoader {

    private ModuleLoader() {
    }

    public static ProxyWasmModule load(ModuleSpec spec, HostServices services) {
        String vmId = spec.vmId() == null || spec.vmId().isEmpty() ? spec.name() : spec.vmId();
        byte[] vmConfiguration = spec.vmConfiguration() == null ? new byte[0] : spec.vmConfiguration();
        try {
            if (spec.bytes() == null) {
                throw new LoadProblem("no module bytes");
            }
            if (vmConfiguration.length > Limits.MAX_CONFIGURATION_BYTES) {
                throw new LoadProblem("the VM configuration is larger than " + Limits.MAX_CONFIGURATION_BYTES
                        + " bytes");
            }
            ModuleBlueprint blueprint = ModuleBlueprint.of(spec.bytes(), spec.engine(), spec.limits().maxMemoryPages(),
                    spec.precompiled());
            ModuleIdentity identity = new ModuleIdentity(spec.name(), spec.location(), vmId, blueprint.abi(),
                    LoggerFactory.getLogger("wasm." + spec.name()));
            ModuleRuntime runtime = new ModuleRuntime(identity, vmConfiguration, spec, blueprint, services);
            runtime.startInstances();
            return runtime;
        } catch (LoadProblem problem) {
            throw new ModuleLoadException("wasm module '" + spec.name() + "' (" + spec.location() + "): "
                    + problem.getMessage(), problem.getCause());
        }
    }
}
