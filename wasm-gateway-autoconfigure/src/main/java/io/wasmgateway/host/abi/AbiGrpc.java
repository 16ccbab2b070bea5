package io.wasmgateway.host.abi;

import io.wasmgateway.host.GrpcCallRequest;

/**
 * The gRPC calls of one VM, as the gRPC host functions drive them (lane only). Tokens are Envoy's: gRPC call
 * tokens are 1 modulo 4, stream tokens 2 modulo 4, HTTP call tokens 0 modulo 4, so no token means two things.
 */
public interface AbiGrpc {

    /**
     * Records a call or stream by the effective context; the VM starts it when the running callback returns, and
     * its events go to that context's root context.
     *
     * @return the token, or 0 when there is no context or it has too many calls in flight
     */
    int start(GrpcCallRequest request);

    /** @return a {@link Status}: BAD_ARGUMENT for a token that is no stream's, NOT_FOUND for an unknown one */
    int send(int token, byte[] message, boolean endOfStream);

    /** Half-closes a stream, or cancels a unary call (as Envoy). @return a {@link Status} */
    int close(int token);

    /** Cancels a call or stream: no callback for it follows. @return a {@link Status} */
    int cancel(int token);

    /** The status of the call being closed (proxy_on_grpc_close); 0 and empty otherwise. */
    int statusCode();

    String statusMessage();
}
