package io.wasmgateway.bench.lifecycle;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A filter of filters/ as every column of {@link LifecycleBenchmark} runs it: its module, its configuration,
 * and the headers it must leave behind (checked once before measuring, so every column does the same work).
 */
public enum BenchFilter {

    /** filters/c/header_filter.c: two request rules, one response rule. */
    C("header_filter.wasm", "", "request add x-wasm-c: yes; request remove x-secret; response set server: wasm-gateway",
            Map.entry("x-wasm-c", "yes"), Map.entry("server", "wasm-gateway")),

    /** filters/assemblyscript: two request headers, one response header, ~10 debug log calls per request. */
    AS("as_header_filter.wasm", "bench", "as-config", Map.entry("x-wasm-as", "bench"),
            Map.entry("x-wasm-as-response", "yes")),

    /**
     * The C header filter with no rules: every callback runs and returns at once, no host function is called.
     * What remains is each host's fixed cost per request.
     */
    C_NO_RULES("header_filter.wasm", "", "", null, null);

    /** ~12 headers of a realistic API request, pseudo-headers first. */
    public static final List<Map.Entry<String, String>> REQUEST = List.of(
            Map.entry(":method", "GET"),
            Map.entry(":path", "/api/v1/orders/12345?expand=items&currency=EUR"),
            Map.entry(":authority", "api.example.com"),
            Map.entry(":scheme", "https"),
            Map.entry("user-agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"),
            Map.entry("accept", "application/json, text/plain, */*"),
            Map.entry("accept-encoding", "gzip, deflate, br"),
            Map.entry("accept-language", "en-US,en;q=0.9,de;q=0.8"),
            Map.entry("authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl"),
            Map.entry("x-request-id", "5f1c2d3e-8a9b-4c7d-9e0f-1a2b3c4d5e6f"),
            Map.entry("x-forwarded-for", "203.0.113.7"),
            Map.entry("x-secret", "s3cr3t"));

    /** A typical upstream answer. */
    public static final List<Map.Entry<String, String>> RESPONSE = List.of(
            Map.entry(":status", "200"),
            Map.entry("content-type", "application/json"),
            Map.entry("content-length", "1532"),
            Map.entry("date", "Mon, 23 Nov 2026 03:00:00 GMT"),
            Map.entry("cache-control", "no-cache"),
            Map.entry("server", "upstream"));

    private final String file;
    private final String rootId;
    private final String configuration;
    private final Map.Entry<String, String> addedToRequest;
    private final Map.Entry<String, String> setOnResponse;

    BenchFilter(String file, String rootId, String configuration, Map.Entry<String, String> addedToRequest,
            Map.Entry<String, String> setOnResponse) {
        this.file = file;
        this.rootId = rootId;
        this.configuration = configuration;
        this.addedToRequest = addedToRequest;
        this.setOnResponse = setOnResponse;
    }

    public byte[] wasm() {
        try (InputStream in = BenchFilter.class.getResourceAsStream("/filters/" + file)) {
            if (in == null) {
                throw new IllegalStateException("filters/" + file + " is not on the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String rootId() {
        return rootId;
    }

    public byte[] configuration() {
        return configuration.getBytes(StandardCharsets.UTF_8);
    }

    /** Throws unless a column's maps show the filter's work (a column that skipped a callback fails here). */
    public void check(String column, Map<String, String> request, Map<String, String> response) {
        if (addedToRequest == null) { // no rules: the maps must be as they came
            if (!request.equals(asMap(REQUEST)) || !response.equals(asMap(RESPONSE))) {
                throw new IllegalStateException(column + " changed headers under " + this + ": request " + request
                        + ", response " + response);
            }
            return;
        }
        if (!addedToRequest.getValue().equals(request.get(addedToRequest.getKey()))
                || !setOnResponse.getValue().equals(response.get(setOnResponse.getKey()))
                || (this == C && request.containsKey("x-secret"))) {
            throw new IllegalStateException(column + " did not run " + this + " fully: request " + request
                    + ", response " + response);
        }
    }

    private static Map<String, String> asMap(List<Map.Entry<String, String>> pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        pairs.forEach(pair -> map.put(pair.getKey(), pair.getValue()));
        return map;
    }
}
