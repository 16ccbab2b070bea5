package io.wasmgateway.host.abi;

import static io.wasmgateway.host.abi.HostCall.arg;

import io.wasmgateway.host.GrpcCallRequest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The gRPC host functions (the same names in ABI 0.1.0 and 0.2.x): proxy_grpc_call, proxy_grpc_stream,
 * proxy_grpc_send, proxy_grpc_cancel, proxy_grpc_close and proxy_get_status. Calls are only recorded here and
 * return their token at once; the VM starts them when the running callback returns, and what the server sends
 * comes back through proxy_on_grpc_receive_initial_metadata, proxy_on_grpc_receive,
 * proxy_on_grpc_receive_trailing_metadata and proxy_on_grpc_close on the caller's root context. Statuses as
 * Envoy's {@code Context::grpcCall}: an unknown cluster is PARSE_FAILURE.
 */
final class GrpcCallFunctions {

    private GrpcCallFunctions() {
    }

    static List<HostCall> functions(AbiVm vm) {
        return List.of(call(vm), stream(vm), send(vm), cancel(vm), close(vm), getStatus(vm));
    }

    // (upstream_ptr, upstream_size, service_ptr, service_size, method_ptr, method_size, initial_metadata_ptr,
    //  initial_metadata_size, message_ptr, message_size, timeout_ms, return_token_ptr)
    private static HostCall call(AbiVm vm) {
        return HostCall.status("proxy_grpc_call", 12, vm.logger(), args -> {
            if (Integer.compareUnsigned(arg(args, 9), Limits.MAX_GRPC_MESSAGE_BYTES) > 0) {
                return Status.BAD_ARGUMENT;
            }
            byte[] message = vm.memory().read(arg(args, 8), arg(args, 9));
            return start(vm, args, message, Integer.toUnsignedLong(arg(args, 10)), arg(args, 11));
        });
    }

    // (upstream_ptr, upstream_size, service_ptr, service_size, method_ptr, method_size, initial_metadata_ptr,
    //  initial_metadata_size, return_token_ptr)
    private static HostCall stream(AbiVm vm) {
        return HostCall.status("proxy_grpc_stream", 9, vm.logger(),
                args -> start(vm, args, null, 0, arg(args, 8)));
    }

    private static int start(AbiVm vm, long[] args, byte[] message, long timeoutMillis, int tokenSlot) {
        GuestMemory memory = vm.memory();
        byte[] upstreamBytes = memory.read(arg(args, 0), arg(args, 1));
        String service = memory.readString(arg(args, 2), arg(args, 3), StandardCharsets.UTF_8);
        String method = memory.readString(arg(args, 4), arg(args, 5), StandardCharsets.UTF_8);
        if (Integer.compareUnsigned(arg(args, 7), Limits.MAX_MAP_BYTES) > 0) {
            return Status.BAD_ARGUMENT;
        }
        PairsCodec.Decoded metadata = PairsCodec.decode(memory.read(arg(args, 6), arg(args, 7)));
        if (!memory.contains(tokenSlot, 4)) {
            return Status.INVALID_MEMORY_ACCESS;
        }
        if (!metadata.isOk()) {
            return metadata.status();
        }
        GrpcUpstream upstream = GrpcUpstream.parse(upstreamBytes);
        if (!vm.services().grpcCalls().hasCluster(upstream.cluster())) {
            return Status.PARSE_FAILURE;
        }
        if (service.isEmpty() || method.isEmpty()) {
            return Status.BAD_ARGUMENT;
        }
        List<Map.Entry<String, String>> allMetadata = new ArrayList<>(upstream.initialMetadata());
        for (Map.Entry<String, String> pair : metadata.pairs()) {
            allMetadata.add(Map.entry(pair.getKey().toLowerCase(java.util.Locale.ROOT), pair.getValue()));
        }
        long timeout = timeoutMillis != 0 ? timeoutMillis : upstream.timeoutMillis();
        int token = vm.grpc().start(new GrpcCallRequest(upstream.cluster(), service, method,
                List.copyOf(allMetadata), message, message == null ? 0 : timeout));
        if (token == 0) {
            return Status.INTERNAL_FAILURE; // no context to answer, or too many calls in flight
        }
        memory.writeU32(tokenSlot, token);
        return Status.OK;
    }

    // (token, message_ptr, message_size, end_of_stream)
    private static HostCall send(AbiVm vm) {
        return HostCall.status("proxy_grpc_send", 4, vm.logger(), args -> {
            if (Integer.compareUnsigned(arg(args, 2), Limits.MAX_GRPC_MESSAGE_BYTES) > 0) {
                return Status.BAD_ARGUMENT;
            }
            byte[] message = vm.memory().read(arg(args, 1), arg(args, 2));
            return vm.grpc().send(arg(args, 0), message, arg(args, 3) != 0);
        });
    }

    private static HostCall cancel(AbiVm vm) {
        return HostCall.status("proxy_grpc_cancel", 1, vm.logger(), args -> vm.grpc().cancel(arg(args, 0)));
    }

    private static HostCall close(AbiVm vm) {
        return HostCall.status("proxy_grpc_close", 1, vm.logger(), args -> vm.grpc().close(arg(args, 0)));
    }

    // (return_status_code_ptr, return_message_ptr, return_message_size_ptr)
    private static HostCall getStatus(AbiVm vm) {
        return HostCall.status("proxy_get_status", 3, vm.logger(), args -> {
            GuestMemory memory = vm.memory();
            int codeSlot = arg(args, 0);
            if (!memory.contains(codeSlot, 4)) {
                return Status.INVALID_MEMORY_ACCESS;
            }
            memory.writeU32(codeSlot, vm.grpc().statusCode());
            memory.returnBytes(vm.grpc().statusMessage().getBytes(StandardCharsets.UTF_8), arg(args, 1),
                    arg(args, 2));
            return Status.OK;
        });
    }
}
