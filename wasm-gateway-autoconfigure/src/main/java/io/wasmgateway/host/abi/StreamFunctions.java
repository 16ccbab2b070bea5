package io.wasmgateway.host.abi;

import static io.wasmgateway.host.abi.HostCall.arg;

import io.wasmgateway.host.LocalResponse;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Stream control: proxy_send_local_response, proxy_continue_stream, proxy_close_stream, ABI 0.1.0's
 * proxy_continue_request / proxy_continue_response, and proxy_clear_route_cache (a no-op: routes are chosen
 * before filters run in the gateway).
 */
final class StreamFunctions {

    /** grpc_status values outside 0..16 (typically -1) mean "not a gRPC response". */
    private static final int MAX_GRPC_STATUS = 16;

    private StreamFunctions() {
    }

    static List<HostCall> functions(AbiVm vm) {
        return List.of(
                // (status, details_ptr, details_size, body_ptr, body_size, headers_ptr, headers_size, grpc_status)
                HostCall.status("proxy_send_local_response", 8, vm.logger(), args -> sendLocalResponse(vm, args)),
                // (stream_type)
                // As Envoy's Context::continueStream: downstream is an OK no-op (an HTTP filter has no TCP stream),
                // upstream UNIMPLEMENTED, anything above 3 BAD_ARGUMENT
                HostCall.status("proxy_continue_stream", 1, vm.logger(), args -> {
                    int type = arg(args, 0);
                    if (isHttp(type)) {
                        return vm.effectiveContext().continueStream(type);
                    }
                    return type == StreamType.DOWNSTREAM ? Status.OK
                            : type == StreamType.UPSTREAM ? Status.UNIMPLEMENTED : Status.BAD_ARGUMENT;
                }),
                // (stream_type): as Envoy's Context::closeStream, closing a TCP stream an HTTP filter does not
                // have is an OK no-op
                HostCall.status("proxy_close_stream", 1, vm.logger(), args -> {
                    int type = arg(args, 0);
                    if (isHttp(type)) {
                        return vm.effectiveContext().closeStream(type);
                    }
                    return type == StreamType.DOWNSTREAM || type == StreamType.UPSTREAM ? Status.OK
                            : Status.BAD_ARGUMENT;
                }),
                // 0.1.0: ()
                HostCall.status("proxy_continue_request", 0, vm.logger(),
                        args -> vm.effectiveContext().continueStream(StreamType.HTTP_REQUEST)),
                // 0.1.0: ()
                HostCall.status("proxy_continue_response", 0, vm.logger(),
                        args -> vm.effectiveContext().continueStream(StreamType.HTTP_RESPONSE)),
                // 0.1.0: ()
                HostCall.status("proxy_clear_route_cache", 0, vm.logger(), args -> Status.OK));
    }

    private static int sendLocalResponse(AbiVm vm, long[] args) {
        GuestMemory memory = vm.memory();
        int detailsPtr = arg(args, 1);
        int detailsSize = arg(args, 2);
        int bodyPtr = arg(args, 3);
        int bodySize = arg(args, 4);
        int headersPtr = arg(args, 5);
        int headersSize = arg(args, 6);
        if (!memory.contains(detailsPtr, detailsSize) || !memory.contains(bodyPtr, bodySize)
                || !memory.contains(headersPtr, headersSize)) {
            return Status.INVALID_MEMORY_ACCESS;
        }
        int status = arg(args, 0);
        if (status < 100 || status > 999
                || Integer.compareUnsigned(detailsSize, Limits.MAX_LOCAL_RESPONSE_DETAILS_BYTES) > 0
                || Integer.compareUnsigned(bodySize, Limits.MAX_LOCAL_RESPONSE_BODY_BYTES) > 0
                || Integer.compareUnsigned(headersSize, Limits.MAX_MAP_BYTES) > 0) {
            return Status.BAD_ARGUMENT;
        }
        PairsCodec.Decoded headers = PairsCodec.decode(memory.read(headersPtr, headersSize));
        if (!headers.isOk()) {
            return headers.status();
        }
        int grpcStatus = arg(args, 7);
        LocalResponse response = new LocalResponse(status,
                memory.readString(detailsPtr, detailsSize, StandardCharsets.UTF_8), memory.read(bodyPtr, bodySize),
                headers.pairs(), grpcStatus >= 0 && grpcStatus <= MAX_GRPC_STATUS ? grpcStatus : -1);
        return vm.effectiveContext().sendLocalResponse(response);
    }

    private static boolean isHttp(int type) {
        return type == StreamType.HTTP_REQUEST || type == StreamType.HTTP_RESPONSE;
    }
}
