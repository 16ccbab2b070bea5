package io.wasmgateway.host.abi;

import com.dylibso.chicory.wasm.types.FunctionType;

import java.util.ArrayList;
import java.util.List;

/**
 * Host functions linked so that every SDK-built filter instantiates, answering UNIMPLEMENTED (12) until their
 * feature exists: foreign functions.
 */
final class UnimplementedFunctions {

    private UnimplementedFunctions() {
    }

    static List<HostCall> functions(AbiVm vm) {
        List<HostCall> calls = new ArrayList<>();
        // (name_ptr, name_size, args_ptr, args_size, return_results_ptr, return_results_size_ptr)
        calls.add(unimplemented(vm, "proxy_call_foreign_function", HostCall.i32s(6)));
        return calls;
    }

    private static HostCall unimplemented(AbiVm vm, String name, FunctionType type) {
        return HostCall.status(name, type, vm.logger(), args -> {
            if (vm.logger().isDebugEnabled()) {
                vm.logger().debug("{} is not implemented yet: answered UNIMPLEMENTED", name);
            }
            return Status.UNIMPLEMENTED;
        });
    }
}
