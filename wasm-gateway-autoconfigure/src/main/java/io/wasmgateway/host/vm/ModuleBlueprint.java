package io.wasmgateway.host.vm;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.CompiledModule;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.MemoryLimits;

import io.wasmgateway.host.AbiVersion;
import io.wasmgateway.host.Engine;
import io.wasmgateway.host.abi.Limits;

import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A module parsed, validated and compiled once, from which VM instances are made: its ABI (from the exported
 * marker), its allocator, its function exports, and the machine factory (Chicory's runtime compiler, a class
 * its build-time compiler generated, or null for the interpreter).
 */
record ModuleBlueprint(WasmModule module, AbiVersion abi, String allocator, Set<String> functionExports,
        Function<Instance, Machine> machineFactory) {

    private static final String MARKER_PREFIX = "proxy_abi_version_";

    static ModuleBlueprint of(byte[] bytes, Engine engine, int maxMemoryPages, String precompiled) {
        // a precompiled module brings its module, parsed and validated at build time: no parsing of the code here
        CompiledModule compiled = precompiled == null || precompiled.isBlank() ? null
                : PrecompiledMachines.load(precompiled.strip(), bytes);
        WasmModule module;
        try {
            module = compiled != null ? compiled.wasmModule() : Parser.parse(bytes);
        } catch (RuntimeException e) {
            throw new LoadProblem("not a valid wasm binary: " + Traps.reason(e), e);
        }
        Set<String> functions = new HashSet<>();
        boolean exportsMemory = false;
        for (int i = 0; i < module.exportSection().exportCount(); i++) {
            Export export = module.exportSection().getExport(i);
            if (export.exportType() == ExternalType.FUNCTION) {
                functions.add(export.name());
            } else if (export.exportType() == ExternalType.MEMORY) {
                exportsMemory = true;
            }
        }
        AbiVersion abi = abiOf(functions);
        if (!exportsMemory) {
            throw new LoadProblem("the module exports no memory");
        }
        checkMemoryLimits(module, maxMemoryPages);
        CallbackSignatures.check(module, abi);
        String allocator = functions.contains("proxy_on_memory_allocate") ? "proxy_on_memory_allocate"
                : functions.contains("malloc") ? "malloc" : null;
        if (allocator == null) {
            throw new LoadProblem("the module exports no allocator (proxy_on_memory_allocate or malloc)");
        }
        Function<Instance, Machine> machineFactory = null;
        if (compiled != null) {
            machineFactory = compiled.machineFactory();
        } else if (engine == Engine.COMPILER) {
            try {
                machineFactory = MachineFactoryCompiler.compile(module); // once per module, reused by instances
            } catch (RuntimeException e) {
                throw new LoadProblem("Chicory's compiler failed: " + Traps.reason(e), e);
            }
        }
        return new ModuleBlueprint(module, abi, allocator, Set.copyOf(functions), machineFactory);
    }

    /** The newest ABI among the module's markers; an unknown marker alone is refused, as is no marker. */
    private static AbiVersion abiOf(Set<String> functions) {
        AbiVersion found = null;
        Set<String> unknown = new TreeSet<>();
        for (String name : functions) {
            if (name.startsWith(MARKER_PREFIX)) {
                AbiVersion version = AbiVersion.fromMarker(name).orElse(null);
                if (version == null) {
                    unknown.add(name);
                } else if (found == null || version.compareTo(found) > 0) {
                    found = version;
                }
            }
        }
        if (found != null) {
            return found;
        }
        if (!unknown.isEmpty()) {
            throw new LoadProblem("unsupported Proxy-Wasm ABI version " + unknown
                    + " (supported: proxy_abi_version_0_1_0, proxy_abi_version_0_2_0, proxy_abi_version_0_2_1)");
        }
        throw new LoadProblem("not a Proxy-Wasm module: no ABI version marker export (proxy_abi_version_0_1_0, "
                + "proxy_abi_version_0_2_0 or proxy_abi_version_0_2_1)");
    }

    private static void checkMemoryLimits(WasmModule module, int maxMemoryPages) {
        module.memorySection().ifPresent(section -> {
            for (int i = 0; i < section.memoryCount(); i++) {
                int initial = section.getMemory(i).limits().initialPages();
                if (initial > maxMemoryPages) {
                    throw new LoadProblem("the module asks for " + initial + " pages of memory, more than the "
                            + maxMemoryPages + " allowed (max-memory)");
                }
            }
        });
    }

    /**
     * Linear memory as ByteArrayMemory (the fastest here), its maximum capped at the module's limit: a
     * memory.grow beyond it returns -1 to the guest, as the spec says for a failed grow.
     */
    static Memory memory(MemoryLimits declared, int maxMemoryPages) {
        int maximum = Math.min(declared.maximumPages(), Math.min(maxMemoryPages, Limits.MAX_MEMORY_PAGES));
        return new ByteArrayMemory(new MemoryLimits(declared.initialPages(), maximum, declared.shared()));
    }
}
