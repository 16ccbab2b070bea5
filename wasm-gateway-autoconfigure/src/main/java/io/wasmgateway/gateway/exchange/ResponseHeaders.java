package io.wasmgateway.gateway.exchange;

import java.util.List;
import java.util.Map;

import io.wasmgateway.host.HeaderMap;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;

/**
 * A response's headers as the filters' header map, read and written where they live (Netty's response headers
 * when the server's own response is at hand, else Spring's), with {@code :status} first: no copy, the names as
 * the upstream sent them (the guest gets them in lower case). Status changes and a header Netty refused wait for
 * {@link #apply}, which runs once the response callbacks are done, before the response is committed. Pairs a
 * response cannot carry (a second {@code :status}, an unknown pseudo-header) stay visible to filters only.
 */
final class ResponseHeaders extends LiveHeaderMap {

    private static final String STATUS = ":status";

    private final ServerHttpResponse response;

    private String status; // null until read or written; null again once removed

    private boolean statusRead;

    private boolean statusChanged;

    private String refused; // why Netty refused a header a filter wrote, reported by apply

    private ResponseHeaders(ServerHttpResponse response) {
        super(LiveHeaders.of(response));
        this.response = response;
    }

    /** The response's headers as the filters' map, before the response is committed. */
    static ResponseHeaders from(ServerHttpResponse response) {
        return new ResponseHeaders(response);
    }

    @Override
    public int size() {
        return (status() != null ? 1 : 0) + headerPairs();
    }

    @Override
    public long textLength() {
        String current = status();
        return (current != null ? STATUS.length() + current.length() : 0) + headerTextLength();
    }

    @Override
    public String get(String name) {
        boolean status = isStatus(name);
        return status && status() != null ? this.status : header(name, !status && carried(name));
    }

    @Override
    public void add(String name, String value) {
        if (isStatus(name) && status() == null) {
            status = value;
            statusChanged = true;
        }
        else if (carried(name)) {
            try {
                headers.add(HeaderMap.lowerCase(name), value);
            }
            catch (IllegalArgumentException ex) {
                // Netty validates names and values; the gateway answers for it once the callbacks are done, as
                // it did when the changes were applied only then
                refused = ex.getMessage();
            }
        }
        else {
            others().add(name, value);
        }
    }

    @Override
    public void remove(String name) {
        if (isStatus(name)) {
            status();
            status = null;
            statusChanged = true;
        }
        else if (carried(name)) {
            headers.remove(name);
        }
        removeOther(name);
    }

    @Override
    public void replaceAll(List<Map.Entry<String, String>> pairs) {
        statusRead = true;
        status = null;
        statusChanged = true;
        clearOthers();
        headers.clear();
        for (Map.Entry<String, String> pair : pairs) {
            add(pair.getKey(), pair.getValue());
        }
    }

    @Override
    public void forEach(PairVisitor visitor) {
        String current = status();
        if (current != null) {
            visitor.pair(STATUS, current);
        }
        forEachHeader(visitor);
    }

    /** Whether no body follows the headers: a HEAD request, 1xx, 204, 304, or Content-Length: 0. */
    static boolean endOfStream(HttpMethod requestMethod, ServerHttpResponse response) {
        HttpStatusCode status = response.getStatusCode();
        int code = status != null ? status.value() : 200;
        return HttpMethod.HEAD.equals(requestMethod) || code < 200 || code == 204 || code == 304
                || response.getHeaders().getContentLength() == 0;
    }

    /**
     * Writes what could not be written at once (the status) into the response, which must not be committed yet;
     * the headers are already there.
     *
     * @throws IllegalArgumentException when the filter set a :status that isn't a status code, or a header the
     *     response cannot carry
     */
    static void apply(HeaderMap map, ServerHttpResponse response) {
        ((ResponseHeaders) map).apply();
    }

    private void apply() {
        if (refused != null) {
            String reason = refused;
            refused = null;
            throw new IllegalArgumentException(reason);
        }
        if (statusChanged) {
            statusChanged = false;
            if (status != null) {
                response.setStatusCode(HttpStatusCode.valueOf(parseStatus(status)));
            }
        }
    }

    private String status() {
        if (!statusRead) {
            statusRead = true;
            HttpStatusCode code = response.getStatusCode();
            status = Integer.toString(code != null ? code.value() : 200);
        }
        return status;
    }

    private static boolean isStatus(String name) {
        return STATUS.equalsIgnoreCase(name);
    }

    private static boolean carried(String name) {
        return !name.isEmpty() && name.charAt(0) != ':';
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
