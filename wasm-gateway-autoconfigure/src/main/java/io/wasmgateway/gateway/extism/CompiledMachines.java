package io.wasmgateway.gateway.extism;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.Function;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.CompiledModule;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.CodeSection;
import org.extism.sdk.chicory.Kernel;

/**
 * Compiled code for the instances of one Extism plugin, compiled once. Extism's own AoT option compiles the
 * plugin and its kernel again for every instance (the SDK parses both anew each time, and Chicory's compiled
 * factory accepts only the very module object it was compiled from): 0.1-0.5 s per instance. This factory
 * compiles the plugin once per module version and the kernel once per JVM, and serves every instance whose code
 * is the same; anything else is compiled for its instance.
 */
final class CompiledMachines implements Function<Instance, Machine> {

    private static volatile Compiled kernel;

    private final Compiled plugin;

    CompiledMachines(WasmModule plugin) {
        this.plugin = Compiled.of(plugin);
    }

    @Override
    public Machine apply(Instance instance) {
        CodeSection code = instance.module().codeSection();
        if (plugin.code().equals(code)) {
            return plugin.machines().apply(instance);
        }
        Compiled kernel = kernel();
        if (kernel.code().equals(code)) {
            return kernel.machines().apply(instance);
        }
        return MachineFactoryCompiler.compile(instance);
    }

    private static Compiled kernel() {
        Compiled compiled = kernel;
        if (compiled == null) {
            synchronized (CompiledMachines.class) {
                if (kernel == null) {
                    try (InputStream in = Kernel.class.getClassLoader().getResourceAsStream("extism-runtime.wasm")) {
                        if (in == null) {
                            throw new IllegalStateException("extism-runtime.wasm is missing from the Extism SDK");
                        }
                        kernel = Compiled.of(Parser.parse(in));
                    }
                    catch (IOException ex) {
                        throw new UncheckedIOException(ex);
                    }
                }
                compiled = kernel;
            }
        }
        return compiled;
    }

    /** A module's code and the factory of machines running it compiled. */
    private record Compiled(CodeSection code, Function<Instance, Machine> machines) {

        static Compiled of(WasmModule module) {
            Function<Instance, Machine> factory = MachineFactoryCompiler.compile(module);
            // the inner factory: the outer one refuses any module object but the one it compiled
            return new Compiled(module.codeSection(),
                    factory instanceof CompiledModule compiled ? compiled.machineFactory() : factory);
        }
    }
}
