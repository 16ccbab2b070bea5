package io.wasmgateway.host.abi;

import com.dylibso.chicory.wasm.types.FunctionType;

import java.util.ArrayList;
import java.util.List;

/**
 * Host functions linked so that every SDK-built filter instantiates, answering UNIMPLEMENTED (12) until their
 * feature exists: gRPC calls and proxy_get_status (which only has meaning after a gRPC call). Foreign
 * functions are {@link ForeignFunctions}.
 */
final class UnimplementedFunctions {

    private UnimplementedFunctions() {
    }

    static List<HostCall> functions(AbiVm vm) {
        List<HostCall> calls = new ArrayList<>();
        // (upstream, service, method, initial_metadata, message as ptr/size pairs, timeout_ms, return_token_ptr)
        calls.add(unimplemented(vm, "proxy_grpc_call", HostCall.i32s(12)));
        // (upstream, service, method, initial_metadata as ptr/size pairs, return_token_ptr)
        calls.add(unimplemented(vm, "proxy_grpc_stream", HostCall.i32s(9)));
        calls.add(unimplemented(vm, "proxy_grpc_send", HostCall.i32s(4))); // (token, ptr, size, end_stream)
        calls.add(unimplemented(vm, "proxy_grpc_cancel", HostCall.i32s(1))); // (token)
        calls.add(unimplemented(vm, "proxy_grpc_close", HostCall.i32s(1))); // (token)
        // (return_status_code_ptr, return_message_ptr, return_message_size_ptr)
        calls.add(unimplemented(vm, "proxy_get_status", HostCall.i32s(3)));
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
