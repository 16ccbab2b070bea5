package io.wasmgateway.host;

import java.util.Map;

/**
 * Everything the host needs to load one module.
 *
 * @param name the module's configured name (used in logs, errors and the logger name {@code wasm.<name>})
 * @param location where the bytes came from, for error messages only
 * @param bytes the module's binary
 * @param engine compiler or interpreter
 * @param vmId the vm_id (the {@code plugin_vm_id} property, and the key for shared queues)
 * @param vmConfiguration passed to proxy_on_vm_start in buffer 6
 * @param environment the only environment variables the module sees through WASI
 * @param instances how many VM instances to create (each runs one callback at a time)
 * @param limits execution budgets, memory limit and failure policy
 * @param precompiled the class Chicory's build-time compiler generated from these bytes (a
 *     {@code com.dylibso.chicory.runtime.CompiledModule}), used instead of compiling at load time; null for none
 */
public record ModuleSpec(String name, String location, byte[] bytes, Engine engine, String vmId,
        byte[] vmConfiguration, Map<String, String> environment, int instances, ModuleLimits limits,
        String precompiled) {

    public ModuleSpec {
        if (instances < 1) {
            throw new IllegalArgumentException("instances must be at least 1, was " + instances);
        }
        environment = Map.copyOf(environment);
        limits = limits == null ? ModuleLimits.DEFAULTS : limits;
    }

    /** With {@link ModuleLimits#DEFAULTS}, compiled when it loads. */
    public ModuleSpec(String name, String location, byte[] bytes, Engine engine, String vmId, byte[] vmConfiguration,
            Map<String, String> environment, int instances) {
        this(name, location, bytes, engine, vmId, vmConfiguration, environment, instances, ModuleLimits.DEFAULTS);
    }

    /** Compiled when it loads. */
    public ModuleSpec(String name, String location, byte[] bytes, Engine engine, String vmId, byte[] vmConfiguration,
            Map<String, String> environment, int instances, ModuleLimits limits) {
        this(name, location, bytes, engine, vmId, vmConfiguration, environment, instances, limits, null);
    }

}
