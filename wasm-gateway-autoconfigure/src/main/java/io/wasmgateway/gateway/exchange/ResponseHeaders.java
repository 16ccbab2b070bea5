package io.wasmgateway.gateway.exchange;

import java.util.List;
import java.util.Map;

import io.wasmgateway.host.HeaderList;
import io.wasmgateway.host.HeaderMap;
import reactor.netty.http.server.HttpServerResponse;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.AbstractServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponse;

/**
 * A response's headers as the filters' header map, read and written where they live (Netty's response headers
 * when the server's own response is at hand, else Spring's), with {@code :status} first: no copy, the names as
 * the upstream sent them (the guest gets them in lower case). Status changes and a header Netty refused wait for
 * {@link #apply}, which runs once the response callbacks are done, before the response is committed. Pairs a
 * response cannot carry (a second {@code :status}, an unknown pseudo-header) stay visible to filters only.
 */
final class ResponseHeaders implements HeaderMap {

    private static final String STATUS = ":status";

    private static final String REACTOR_RESPONSE = "org.springframework.http.server.reactive.ReactorServerHttpResponse";

    private final ServerHttpResponse response;

    private final LiveHeaders headers;

    private String status; // null until read or written; null again once removed

    private boolean statusRead;

    private boolean statusChanged;

    private HeaderList others;

    private String refused; // why Netty refused a header a filter wrote, reported by apply

    private ResponseHeaders(ServerHttpResponse response) {
        this.response = response;
        this.headers = live(response);
    }

    /** The response's headers as the filters' map, before the response is committed. */
    static ResponseHeaders from(ServerHttpResponse response) {
        return new ResponseHeaders(response);
    }

    private static LiveHeaders live(ServerHttpResponse response) {
        if (response.getClass().getName().equals(REACTOR_RESPONSE) && response instanceof AbstractServerHttpResponse server
                && server.getNativeResponse() instanceof HttpServerResponse netty) {
            return LiveHeaders.netty(netty.responseHeaders(), response.getHeaders(), false);
        }
        // the writable headers as they are now: after the commit Spring hands out a read-only copy
        return LiveHeaders.spring(response.getHeaders(), false);
    }

    @Override
    public int size() {
        return (status() != null ? 1 : 0) + headers.size() + (others != null ? others.size() : 0);
    }

    @Override
    public long textLength() {
        String current = status();
        return (current != null ? STATUS.length() + current.length() : 0) + headers.textLength()
                + (others != null ? others.textLength() : 0);
    }

    @Override
    public String get(String name) {
        String value = isStatus(name) ? status() : carried(name) ? headers.get(name) : null;
        return value != null || others == null ? value : others.get(name);
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
    public void set(String name, String value) {
        remove(name);
        add(name, value);
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
        if (others != null) {
            others.remove(name);
        }
    }

    @Override
    public void replaceAll(List<Map.Entry<String, String>> pairs) {
        statusRead = true;
        status = null;
        statusChanged = true;
        others = null;
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
        headers.forEach(visitor);
        if (others != null) {
            others.forEach(visitor);
        }
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

    private HeaderList others() {
        if (others == null) {
            others = new HeaderList();
        }
        return others;
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

    @Override
    public String toString() {
        return LiveHeaders.describe(this);
    }
}
