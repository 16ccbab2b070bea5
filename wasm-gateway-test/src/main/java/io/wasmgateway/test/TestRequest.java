package io.wasmgateway.test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A request to drive through a {@link FilterTester}: headers, properties, then {@link #send()}. */
public final class TestRequest {

    private final FilterTester tester;

    private final List<Map.Entry<String, String>> headers = new ArrayList<>();

    private final Map<List<String>, byte[]> properties = new LinkedHashMap<>();

    TestRequest(FilterTester tester, String method, String path) {
        this.tester = tester;
        headers.add(Map.entry(":method", method));
        headers.add(Map.entry(":path", path));
        headers.add(Map.entry(":authority", "example.test"));
        headers.add(Map.entry(":scheme", "http"));
    }

    /** Adds a request header (names are lower-cased, as HTTP/2 and the host have them). */
    public TestRequest header(String name, String value) {
        headers.add(Map.entry(name.toLowerCase(java.util.Locale.ROOT), value));
        return this;
    }

    /** Replaces {@code :authority} (example.test by default). */
    public TestRequest authority(String authority) {
        headers.set(2, Map.entry(":authority", authority));
        return this;
    }

    /** A property the filter reads with proxy_get_property, e.g. {@code source.address}, as Envoy encodes it. */
    public TestRequest property(String dottedPath, byte[] value) {
        properties.put(List.of(dottedPath.split("\\.")), value);
        return this;
    }

    /** A text property, UTF-8. */
    public TestRequest property(String dottedPath, String value) {
        return property(dottedPath, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Runs proxy_on_request_headers with end_of_stream true: a request without a body. */
    public TestExchange send() {
        return new TestExchange(tester, headers, properties).requestHeaders(true);
    }

    /** Runs proxy_on_request_headers with end_of_stream false: a body follows ({@link TestExchange#requestBody}). */
    public TestExchange sendHeaders() {
        return new TestExchange(tester, headers, properties).requestHeaders(false);
    }
}
