package io.wasmgateway.test.gateway;

import java.nio.charset.StandardCharsets;
import java.util.List;

import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/** A request the WireMock upstream received, as the gateway (and its filters) sent it. */
public final class UpstreamRequest {

    private final LoggedRequest request;

    UpstreamRequest(LoggedRequest request) {
        this.request = request;
    }

    public String method() {
        return request.getMethod().value();
    }

    /** The path with the query, raw as the gateway sent it, e.g. {@code /c/hello?x=1}. */
    public String url() {
        return request.getUrl();
    }

    /** The path without the query. */
    public String path() {
        String url = request.getUrl();
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    /** The first value of a header, or null. */
    public String header(String name) {
        return hasHeader(name) ? request.getHeader(name) : null;
    }

    /** Every value of a header, in the order received (empty when absent). */
    public List<String> headerValues(String name) {
        HttpHeader header = request.getHeaders().getHeader(name);
        return header.isPresent() ? header.values() : List.of();
    }

    public boolean hasHeader(String name) {
        return request.containsHeader(name);
    }

    /** The body as UTF-8 text (empty without one). */
    public String body() {
        return new String(bodyBytes(), StandardCharsets.UTF_8);
    }

    public byte[] bodyBytes() {
        byte[] body = request.getBody();
        return body == null ? new byte[0] : body;
    }

    /** WireMock's own record, for what this class does not show. */
    public LoggedRequest logged() {
        return request;
    }

    @Override
    public String toString() {
        return method() + " " + url();
    }
}
