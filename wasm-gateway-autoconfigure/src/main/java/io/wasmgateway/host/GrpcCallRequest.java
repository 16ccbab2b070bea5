package io.wasmgateway.host;

import java.util.List;
import java.util.Map;

/**
 * A filter's gRPC call or stream, as the proxy starts it. Metadata names are lower case; values of {@code -bin}
 * keys are base64 as on the wire. Strings hold one char per byte (ISO-8859-1).
 *
 * @param cluster the gRPC cluster: a configured name, or the {@code google_grpc.target_uri} of the filter's
 *     {@code GrpcService} (the dispatcher said it knows it)
 * @param service the fully qualified service, e.g. {@code envoy.service.auth.v3.Authorization}
 * @param method the method, e.g. {@code Check}
 * @param initialMetadata request metadata: the {@code GrpcService}'s {@code initial_metadata}, then the filter's
 * @param message the request message of a unary call; null for a stream (messages come with
 *     {@link GrpcCallHandle#send})
 * @param timeoutMillis the deadline of a unary call in milliseconds, 0 for the cluster's default; streams have none
 */
public record GrpcCallRequest(String cluster, String service, String method,
        List<Map.Entry<String, String>> initialMetadata, byte[] message, long timeoutMillis) {

    /** A unary call: one message each way, answered at once with its status. */
    public boolean isUnary() {
        return message != null;
    }

    /** {@code /service/method}, the call's HTTP/2 path. */
    public String fullMethodName() {
        return service + '/' + method;
    }
}
