package io.wasmgateway.host.abi;

import static io.wasmgateway.host.abi.HostCall.arg;

import io.wasmgateway.host.HttpCallRequest;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * proxy_http_call (0.2.x) and proxy_dispatch_http_call (0.1.0): an outbound call by the effective context to a
 * named upstream. The call is only recorded here and returns its token at once; the VM starts it when the
 * running callback returns, and the answer comes back through proxy_on_http_call_response.
 */
final class HttpCallFunctions {

    private static final List<String> REQUIRED_PSEUDO_HEADERS = List.of(":method", ":path", ":authority");

    private HttpCallFunctions() {
    }

    static List<HostCall> functions(AbiVm vm) {
        return List.of(httpCall(vm, "proxy_http_call"), httpCall(vm, "proxy_dispatch_http_call"));
    }

    // (upstream_ptr, upstream_size, headers_ptr, headers_size, body_ptr, body_size, trailers_ptr, trailers_size,
    //  timeout_ms, return_token_ptr)
    private static HostCall httpCall(AbiVm vm, String name) {
        return HostCall.status(name, 10, vm.logger(), args -> {
            GuestMemory memory = vm.memory();
            int tokenSlot = arg(args, 9);
            if (!memory.contains(tokenSlot, 4)) {
                return Status.INVALID_MEMORY_ACCESS;
            }
            if (Integer.compareUnsigned(arg(args, 5), Limits.MAX_HTTP_CALL_BODY_BYTES) > 0) {
                return Status.BAD_ARGUMENT;
            }
            String upstream = memory.readString(arg(args, 0), arg(args, 1), StandardCharsets.UTF_8);
            PairsCodec.Decoded headers = decodeMap(memory, arg(args, 2), arg(args, 3));
            byte[] body = memory.read(arg(args, 4), arg(args, 5));
            PairsCodec.Decoded trailers = decodeMap(memory, arg(args, 6), arg(args, 7));
            if (!headers.isOk()) {
                return headers.status();
            }
            if (!trailers.isOk()) {
                return trailers.status();
            }
            if (!vm.services().httpCalls().hasUpstream(upstream) || !hasRequiredPseudoHeaders(headers.pairs())) {
                return Status.BAD_ARGUMENT;
            }
            if (arg(args, 8) < 0) {
                return Status.BAD_ARGUMENT; // Envoy reads the timeout as a signed int
            }
            long timeoutMillis = arg(args, 8);
            int token = vm.httpCall(new HttpCallRequest(upstream, headers.pairs(), body, trailers.pairs(),
                    timeoutMillis));
            if (token == 0) {
                return Status.BAD_ARGUMENT; // no context to answer, or too many calls in flight
            }
            memory.writeU32(tokenSlot, token);
            return Status.OK;
        });
    }

    private static PairsCodec.Decoded decodeMap(GuestMemory memory, int ptr, int size) {
        if (Integer.compareUnsigned(size, Limits.MAX_MAP_BYTES) > 0) {
            return new PairsCodec.Decoded(List.of(), Status.BAD_ARGUMENT);
        }
        return PairsCodec.decode(memory.read(ptr, size));
    }

    // present, not non-empty: Envoy checks Path(), Method() and Host() for null (the Go SDK's multiple_dispatches
    // example sends an empty :authority)
    private static boolean hasRequiredPseudoHeaders(List<Map.Entry<String, String>> headers) {
        for (String required : REQUIRED_PSEUDO_HEADERS) {
            boolean present = false;
            for (Map.Entry<String, String> header : headers) {
                if (header.getKey().equalsIgnoreCase(required)) {
                    present = true;
                    break;
                }
            }
            if (!present) {
                return false;
            }
        }
        return true;
    }
}
