package io.wasmgateway.gateway.exchange;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.wasmgateway.host.LocalResponse;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;

/** Writes the responses filters send with proxy_send_local_response, and the gateway's own failure response. */
final class LocalResponses {

    /** Connection-level headers a filter may copy in; the gateway, not the filter, manages the connection. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "upgrade", "te", "trailer");

    private static final byte[] FAILURE_BODY = "wasm filter failed\n".getBytes(StandardCharsets.US_ASCII);

    private LocalResponses() {
    }

    /** What the client gets when a filter traps: nothing about the filter beyond this. */
    static LocalResponse failure() {
        return new LocalResponse(503, "wasm_filter_failed", FAILURE_BODY, List.of(), -1);
    }

    /**
     * Sets status and headers on the response, without hop-by-hop headers and with our own Content-Length
     * (and text/plain when the filter gave a body but no Content-Type, as Envoy does).
     *
     * @param replaceHeaders whether headers already on the response go (those of an upstream response being
     *     replaced) or stay (those other gateway filters added)
     */
    static void prepare(ServerHttpResponse response, LocalResponse local, boolean replaceHeaders) {
        response.setStatusCode(HttpStatusCode.valueOf(validStatus(local.status())));
        HttpHeaders headers = response.getHeaders();
        if (replaceHeaders) {
            headers.clear();
        }
        for (Map.Entry<String, String> header : local.headers()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(name) && !name.equals("content-length") && !name.startsWith(":")) {
                headers.add(name, header.getValue());
            }
        }
        if (local.body().length > 0 && !headers.containsHeader(HttpHeaders.CONTENT_TYPE)) {
            headers.setContentType(MediaType.TEXT_PLAIN);
        }
        headers.setContentLength(local.body().length);
    }

    /** The local response's body, for a response that {@link #prepare} set up. */
    static Mono<Void> writeBody(ServerHttpResponse response, LocalResponse local) {
        // wrap(byte[]) allocates nothing to release
        return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(local.body())));
    }

    /** Prepares and writes: the response callbacks of the request's filters run when it is written. */
    static Mono<Void> write(ServerHttpResponse response, LocalResponse local, boolean replaceHeaders) {
        prepare(response, local, replaceHeaders);
        return writeBody(response, local);
    }

    /** A filter's status outside 100-999 cannot be sent; Envoy would answer 500 for it too. */
    private static int validStatus(int status) {
        return status >= 100 && status <= 999 ? status : 500;
    }
}
