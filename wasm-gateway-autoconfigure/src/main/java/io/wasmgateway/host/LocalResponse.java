package io.wasmgateway.host;

import java.util.List;
import java.util.Map;

/**
 * A response a filter asked the host to send with proxy_send_local_response. Header values are strings with
 * one char per byte (ISO-8859-1).
 *
 * @param status the HTTP status code
 * @param details the details string (Envoy's response code details)
 * @param body the body bytes (may be empty)
 * @param headers the headers the filter passed, as sent by the filter (hop-by-hop ones included: the gateway
 *     drops them)
 * @param grpcStatus the gRPC status, or -1
 */
public record LocalResponse(int status, String details, byte[] body, List<Map.Entry<String, String>> headers,
        int grpcStatus) {
}
