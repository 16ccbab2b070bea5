package io.wasmgateway.test.gateway;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One request through the gateway: what the client got (status, headers, body) and what the upstream received
 * meanwhile (none when a filter answered locally).
 */
public final class GatewayExchange {

    private final HttpResponse<byte[]> response;

    private final List<UpstreamRequest> upstreamRequests;

    GatewayExchange(HttpResponse<byte[]> response, List<UpstreamRequest> upstreamRequests) {
        this.response = response;
        this.upstreamRequests = upstreamRequests;
    }

    /** The status the client got. */
    public int status() {
        return response.statusCode();
    }

    /** The first value of a response header the client got, or null. */
    public String responseHeader(String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    /** Every value of a response header the client got (empty when absent). */
    public List<String> responseHeaderValues(String name) {
        return response.headers().allValues(name);
    }

    /** Every response header the client got, names in lower case. */
    public Map<String, List<String>> responseHeaders() {
        return response.headers().map();
    }

    /** The response body the client got, as UTF-8 text. */
    public String responseBody() {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    public byte[] responseBodyBytes() {
        return response.body().clone();
    }

    /** Whether the upstream received anything for this exchange. */
    public boolean upstreamCalled() {
        return !upstreamRequests.isEmpty();
    }

    /** The one request the upstream received for this exchange; fails when it received none or several. */
    public UpstreamRequest upstreamRequest() {
        if (upstreamRequests.size() != 1) {
            throw new AssertionError("expected the upstream to receive one request, it received "
                    + upstreamRequests.size() + ": " + upstreamRequests);
        }
        return upstreamRequests.get(0);
    }

    /** Every request the upstream received for this exchange. */
    public List<UpstreamRequest> upstreamRequests() {
        return upstreamRequests;
    }

    @Override
    public String toString() {
        return status() + " " + responseHeaders() + " " + responseBody();
    }
}
