package io.wasmgateway.host.abi;

import static io.wasmgateway.host.abi.HostCall.arg;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;

import java.util.List;

/** Imports real binaries carry beyond the spec, accepted as harmless no-ops. */
final class CompatibilityFunctions {

    private CompatibilityFunctions() {
    }

    static List<HostCall> functions(AbiVm vm) {
        return List.of(
                // old Envoy SDKs: (key_ptr, key_size, value_ptr, value_size); there is no tracing span to tag
                HostCall.status("proxy_set_active_span_tag", 4, vm.logger(), args -> {
                    GuestMemory memory = vm.memory();
                    boolean valid = memory.contains(arg(args, 0), arg(args, 1))
                            && memory.contains(arg(args, 2), arg(args, 3));
                    return valid ? Status.OK : Status.INVALID_MEMORY_ACCESS;
                }),
                // the C++ SDK (emscripten): (pages), no result
                new HostCall("emscripten_notify_memory_growth", FunctionType.of(List.of(ValType.I32), List.of()),
                        (Instance instance, long... args) -> null));
    }
}
