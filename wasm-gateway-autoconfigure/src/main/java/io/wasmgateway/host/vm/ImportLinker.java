package io.wasmgateway.host.vm;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;

import io.wasmgateway.host.abi.HostCall;
import io.wasmgateway.host.abi.HostFunctions;
import io.wasmgateway.host.wasi.WasiHost;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Links exactly what a module imports, by name: {@code env} functions from {@link HostFunctions}, WASI ones
 * from {@link WasiHost} under whichever WASI module name the guest uses. A WASI function nobody implements
 * answers NOSYS; an unknown {@code env} function, another module, a non-function import or a signature the
 * host cannot serve is a load error naming the import.
 */
final class ImportLinker {

    private ImportLinker() {
    }

    static ImportValues link(WasmModule module, Map<String, HostCall> env, WasiHost wasi) {
        List<HostFunction> functions = new ArrayList<>();
        for (int i = 0; i < module.importSection().importCount(); i++) {
            Import wanted = module.importSection().getImport(i);
            String qualified = wanted.module() + "." + wanted.name();
            if (wanted.importType() != ExternalType.FUNCTION) {
                throw new LoadProblem("imports " + wanted.importType().name().toLowerCase(java.util.Locale.ROOT)
                        + " " + qualified + ", which the host does not provide (export it instead)");
            }
            FunctionType declared = module.typeSection().getType(((FunctionImport) wanted).typeIndex());
            HostCall call;
            if (HostFunctions.MODULE.equals(wanted.module())) {
                call = env.get(wanted.name());
                if (call == null) {
                    throw new LoadProblem("imports unknown host function " + qualified);
                }
            } else if (WasiHost.MODULES.contains(wanted.module())) {
                call = wasi.function(wanted.name());
                if (call == null) {
                    call = WasiHost.missing(wanted.name(), declared);
                }
            } else {
                throw new LoadProblem("imports " + qualified + " from unknown module '" + wanted.module() + "'");
            }
            functions.add(bind(wanted.module(), call, declared, qualified));
        }
        return ImportValues.builder().withFunctions(new ArrayList<>(functions)).build();
    }

    /**
     * Binds a host call under the guest's module name. A guest may declare a status-returning function as
     * returning nothing (some 0.1.0 binaries do for proxy_continue_request): the status is then dropped.
     */
    private static HostFunction bind(String moduleName, HostCall call, FunctionType declared, String qualified) {
        FunctionType provided = call.type();
        if (provided.equals(declared)) {
            return new HostFunction(moduleName, call.name(), provided, call.handle());
        }
        if (provided.params().equals(declared.params()) && declared.returns().isEmpty()) {
            return new HostFunction(moduleName, call.name(), declared, (Instance instance, long... args) -> {
                call.handle().apply(instance, args);
                return null;
            });
        }
        throw new LoadProblem("imports " + qualified + " with signature " + declared + ", but the host provides "
                + provided);
    }
}
