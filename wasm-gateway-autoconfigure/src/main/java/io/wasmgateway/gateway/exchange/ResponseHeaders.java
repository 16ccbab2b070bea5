package io.wasmgateway.gateway.exchange;

import java.util.Locale;

import io.wasmgateway.host.HeaderMap;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;

/** A response as a filter's header map, and a filter's changes back into the response. */
final class ResponseHeaders {

    private ResponseHeaders() {
    }

    /** {@code :status}, then every header, names in lower case. */
    static HeaderMap from(ServerHttpResponse response) {
        HeaderMap map = new HeaderMap();
        HttpStatusCode status = response.getStatusCode();
        map.add(":status", Integer.toString(status != null ? status.value() : 200));
        response.getHeaders().forEach((name, values) -> {
            String lowerName = name.toLowerCase(Locale.ROOT);
            for (String value : values) {
                map.add(lowerName, value);
            }
        });
        map.markClean();
        return map;
    }

    /** Whether no body follows the headers: a HEAD request, 1xx, 204, 304, or Content-Length: 0. */
    static boolean endOfStream(HttpMethod requestMethod, ServerHttpResponse response) {
        HttpStatusCode status = response.getStatusCode();
        int code = status != null ? status.value() : 200;
        return HttpMethod.HEAD.equals(requestMethod) || code < 200 || code == 204 || code == 304
                || response.getHeaders().getContentLength() == 0;
    }

    /**
     * Writes the filter's changes (status and headers) into the response, which must not be committed yet.
     *
     * @throws IllegalArgumentException when the filter set a :status that isn't a status code
     */
    static void apply(HeaderMap map, ServerHttpResponse response) {
        if (!map.isModified()) {
            return;
        }
        map.markClean();
        String status = map.get(":status");
        if (status != null) {
            response.setStatusCode(HttpStatusCode.valueOf(parseStatus(status)));
        }
        HttpHeaders headers = response.getHeaders();
        headers.clear();
        for (int i = 0; i < map.size(); i++) {
            if (!map.name(i).startsWith(":")) {
                headers.add(map.name(i), map.value(i));
            }
        }
    }

    private static int parseStatus(String status) {
        try {
            int code = Integer.parseInt(status.trim());
            if (code >= 100 && code <= 999) {
                return code;
            }
        }
        catch (NumberFormatException ex) {
            // reported below
        }
        throw new IllegalArgumentException("not a status code: " + status);
    }
}
