package io.wasmgateway.host;

import java.util.List;
import java.util.Map;

/**
 * The answer to an outbound call: headers with {@code :status}, body and trailers. A failed call (timeout,
 * refused connection, reset, too large) has no headers, as Envoy reports it to filters.
 */
public record HttpCallResponse(List<Map.Entry<String, String>> headers, byte[] body,
        List<Map.Entry<String, String>> trailers) {

    private static final HttpCallResponse FAILED = new HttpCallResponse(List.of(), new byte[0], List.of());

    public static HttpCallResponse failed() {
        return FAILED;
    }

    public boolean isFailed() {
        return headers.isEmpty();
    }
}
