package io.wasmgateway.host.vm;

import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;

import io.wasmgateway.host.HostServices;
import io.wasmgateway.host.ModuleLimits;
import io.wasmgateway.host.abi.GuestMemory;
import io.wasmgateway.host.abi.HostFunctions;
import io.wasmgateway.host.wasi.WasiHost;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Makes one started VM instance from a blueprint: links its imports, instantiates it and runs its start. */
final class VmFactory {

    private static final FunctionType ALLOCATOR = FunctionType.of(List.of(ValType.I32), List.of(ValType.I32));

    private VmFactory() {
    }

    static VmInstance create(ModuleBlueprint blueprint, ModuleIdentity identity, Map<String, String> environment,
            int index, HostServices services, ModuleLimits limits, Consumer<VmInstance> onBroken) {
        WasmModule module = blueprint.module();
        VmInstance vm = new VmInstance(identity, index, services, limits, blueprint.coldCode(), onBroken);
        WasiHost wasi = importsWasi(module) ? new WasiHost(identity.name(), environment, identity.logger()) : null;
        ImportValues imports = ImportLinker.link(module, HostFunctions.forVm(vm), wasi);
        Instance.Builder builder = Instance.builder(module)
                .withImportValues(imports)
                .withStart(false) // _start (or _initialize) is run by StartFunctions, once everything is attached
                .withMemoryFactory(declared -> ModuleBlueprint.memory(declared, limits.maxMemoryPages()));
        if (blueprint.machineFactory() != null) {
            builder.withMachineFactory(blueprint.machineFactory());
        }
        Instance instance;
        try {
            instance = builder.build();
        } catch (RuntimeException | StackOverflowError e) {
            throw new LoadProblem("cannot instantiate: " + Traps.reason(e), e);
        }
        if (!ALLOCATOR.equals(instance.exportType(blueprint.allocator()))) {
            throw new LoadProblem("allocator " + blueprint.allocator() + " has signature "
                    + instance.exportType(blueprint.allocator()) + ", expected " + ALLOCATOR);
        }
        vm.attach(instance, new GuestMemory(instance, blueprint.allocator()),
                new GuestCallbacks(instance, blueprint.functionExports()), wasi, module.nameSection());
        try {
            vm.runStart(() -> StartFunctions.run(instance, blueprint.functionExports()));
        } catch (LoadProblem problem) {
            vm.close();
            throw problem;
        }
        return vm;
    }

    private static boolean importsWasi(WasmModule module) {
        for (int i = 0; i < module.importSection().importCount(); i++) {
            if (WasiHost.MODULES.contains(module.importSection().getImport(i).module())) {
                return true;
            }
        }
        return false;
    }
}
