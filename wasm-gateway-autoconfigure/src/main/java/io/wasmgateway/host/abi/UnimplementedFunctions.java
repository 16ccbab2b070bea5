package io.wasmgateway.host.abi;

import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;

import java.util.ArrayList;
import java.util.List;

/**
 * Host functions linked so that every SDK-built filter instantiates, answering UNIMPLEMENTED (12) until their
 * feature exists: gRPC calls, shared data and queues, metrics, foreign functions and
 * proxy_get_status (which only has meaning after a call).
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
        // (key_ptr, key_size, return_value_ptr, return_size_ptr, return_cas_ptr)
        calls.add(unimplemented(vm, "proxy_get_shared_data", HostCall.i32s(5)));
        // (key_ptr, key_size, value_ptr, value_size, cas)
        calls.add(unimplemented(vm, "proxy_set_shared_data", HostCall.i32s(5)));
        // (name_ptr, name_size, return_id_ptr)
        calls.add(unimplemented(vm, "proxy_register_shared_queue", HostCall.i32s(3)));
        // (vm_id_ptr, vm_id_size, name_ptr, name_size, return_id_ptr)
        calls.add(unimplemented(vm, "proxy_resolve_shared_queue", HostCall.i32s(5)));
        // (queue_id, return_value_ptr, return_size_ptr)
        calls.add(unimplemented(vm, "proxy_dequeue_shared_queue", HostCall.i32s(3)));
        // (queue_id, value_ptr, value_size)
        calls.add(unimplemented(vm, "proxy_enqueue_shared_queue", HostCall.i32s(3)));
        // (metric_type, name_ptr, name_size, return_id_ptr)
        calls.add(unimplemented(vm, "proxy_define_metric", HostCall.i32s(4)));
        // (metric_id, i64 offset) and (metric_id, u64 value)
        FunctionType idAndI64 = FunctionType.of(List.of(ValType.I32, ValType.I64), List.of(ValType.I32));
        calls.add(unimplemented(vm, "proxy_increment_metric", idAndI64));
        calls.add(unimplemented(vm, "proxy_record_metric", idAndI64));
        // (metric_id, return_value_ptr)
        calls.add(unimplemented(vm, "proxy_get_metric", HostCall.i32s(2)));
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
