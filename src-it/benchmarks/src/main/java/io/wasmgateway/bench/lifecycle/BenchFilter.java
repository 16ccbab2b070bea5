package io.wasmgateway.bench.lifecycle;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A filter as every column of {@link LifecycleBenchmark} runs it: its module (one of filters/, or a third-party
 * SDK-built binary of ../shared/conformance), its configuration, and what it must leave behind (checked once
 * before measuring, so every column does the same work).
 */
public enum BenchFilter {

    /** filters/c/header_filter.c: two request rules, one response rule. */
    C("header_filter.wasm", "", "request add x-wasm-c: yes; request remove x-secret; response set server: wasm-gateway",
            Map.of("x-wasm-c", "yes"), Set.of("x-secret"), Map.of("server", "wasm-gateway"), null),

    /** filters/assemblyscript: two request headers, one response header, ~10 debug log calls per request. */
    AS("as_header_filter.wasm", "bench", "as-config", Map.of("x-wasm-as", "bench"), Set.of(),
            Map.of("x-wasm-as-response", "yes"), null),

    /**
     * The C header filter with no rules: every callback runs and returns at once, no host function is called.
     * What remains is each host's fixed cost per request.
     */
    C_NO_RULES("header_filter.wasm", "", "", Map.of(), Set.of(), Map.of(), null),

    /**
     * proxy-wasm-go-sdk examples/http_headers (Go 1.24, the whole Go runtime, 3.4 MB), configured as its
     * main_test.go does: replaces request header test: best, reads all request headers and logs each (INFO),
     * adds two response headers, reads all response headers and logs each, logs at stream done.
     */
    GO_HTTP_HEADERS("conformance:go/http_headers.wasm", "", "{\"header\": \"x-wasm-header\", \"value\": \"x-value\"}",
            Map.of("test", "best"), Set.of(),
            Map.of("x-wasm-header", "x-value", "x-proxy-wasm-go-sdk-example", "http_headers"), null),

    /**
     * proxy-wasm-rust-sdk examples/envoy_filter_metadata, as RustEnvoyFilterMetadataTest of proxy-wasm-java-host
     * drives it: reads the property metadata.filter_metadata.envoy.filters.http.lua.uppercased-custom-metadata
     * (SOME-VALUE here) and answers locally with 200 and two headers; the upstream is never asked, so no column
     * runs the response headers callback.
     */
    RUST_METADATA("conformance:rust/envoy_filter_metadata.wasm", "", "", Map.of(), Set.of(), Map.of(),
            Map.of(":status", "200", "powered-by", "proxy-wasm", "uppercased-metadata", "SOME-VALUE")),

    /**
     * proxy-wasm-cpp-sdk (Emscripten) on_request_headers of proxy-wasm-java-host's OnRequestHeadersTest: logs
     * the context id and every request header (INFO); changes nothing.
     */
    CPP_HEADERS("conformance:cpp/on_request_headers.wasm", "", "", Map.of(), Set.of(), Map.of(), null);

    /** The property the Rust filter reads, as Envoy's Lua filter of the example would have set it. */
    public static final List<String> METADATA_PATH = List.of("metadata", "filter_metadata", "envoy.filters.http.lua",
            "uppercased-custom-metadata");
    public static final String METADATA_VALUE = "SOME-VALUE";

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

    private static final String CONFORMANCE = "conformance:";

    private final String file;
    private final String rootId;
    private final String configuration;
    private final Map<String, String> addedToRequest;
    private final Set<String> removedFromRequest;
    private final Map<String, String> setOnResponse;
    private final Map<String, String> localResponse;

    BenchFilter(String file, String rootId, String configuration, Map<String, String> addedToRequest,
            Set<String> removedFromRequest, Map<String, String> setOnResponse, Map<String, String> localResponse) {
        this.file = file;
        this.rootId = rootId;
        this.configuration = configuration;
        this.addedToRequest = addedToRequest;
        this.removedFromRequest = removedFromRequest;
        this.setOnResponse = setOnResponse;
        this.localResponse = localResponse;
    }

    /** Why this filter cannot run here (its third-party binary is absent or does not match), or null. */
    public String unavailable() {
        return file.startsWith(CONFORMANCE) ? ConformanceBinary.problem(file.substring(CONFORMANCE.length())) : null;
    }

    /** Whether the filter answers the request itself (then the response headers callback does not run). */
    public boolean answersLocally() {
        return localResponse != null;
    }

    public byte[] wasm() {
        if (file.startsWith(CONFORMANCE)) {
            return ConformanceBinary.bytes(file.substring(CONFORMANCE.length()));
        }
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

    /**
     * Throws unless a column's maps show the filter's work (a column that skipped a callback fails here).
     * {@code local} is the local response the column saw (":status" and its headers), null for none.
     */
    public void check(String column, Map<String, String> request, Map<String, String> response,
            Map<String, String> local) {
        Map<String, String> lowerLocal = local == null ? null : lowerCased(local);
        boolean changesNothing = addedToRequest.isEmpty() && removedFromRequest.isEmpty() && setOnResponse.isEmpty();
        boolean ok = changesNothing ? request.equals(asMap(REQUEST)) && response.equals(asMap(RESPONSE))
                : request.entrySet().containsAll(addedToRequest.entrySet())
                        && removedFromRequest.stream().noneMatch(request::containsKey)
                        && response.entrySet().containsAll(setOnResponse.entrySet());
        ok &= localResponse == null ? lowerLocal == null
                : lowerLocal != null && lowerLocal.entrySet().containsAll(localResponse.entrySet());
        if (!ok) {
            throw new IllegalStateException(column + " did not run " + this + " as expected: request " + request
                    + ", response " + response + ", local response " + local);
        }
    }

    private static Map<String, String> lowerCased(Map<String, String> headers) {
        Map<String, String> map = new LinkedHashMap<>();
        headers.forEach((name, value) -> map.put(name.toLowerCase(Locale.ROOT), value));
        return map;
    }

    private static Map<String, String> asMap(List<Map.Entry<String, String>> pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        pairs.forEach(pair -> map.put(pair.getKey(), pair.getValue()));
        return map;
    }
}
