package io.wasmgateway.test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.wasmgateway.host.Decision;
import io.wasmgateway.host.HeaderList;
import io.wasmgateway.host.HeaderMap;
import io.wasmgateway.host.HttpContext;
import io.wasmgateway.host.LocalResponse;
import io.wasmgateway.host.StreamHost;
import io.wasmgateway.host.abi.MutableBuffer;

/**
 * One request through a {@link FilterTester}'s filter, step by step as the gateway drives it: request headers,
 * request body chunks, response headers, response body chunks, then {@link #finish()} (proxy_on_done,
 * proxy_on_log, proxy_on_delete). After each step the test reads the filter's decision ({@link #continued()},
 * {@link #paused()}, {@link #localResponse()}), the headers as the filter left them and the body that goes on.
 */
public final class TestExchange implements StreamHost, AutoCloseable {

    private final FilterTester tester;

    private final HeaderList requestHeaders = new HeaderList();

    private HeaderList responseHeaders;

    private final Map<List<String>, byte[]> properties = new HashMap<>();

    private final HttpContext context;

    private Decision decision;

    private final List<byte[]> requestBody = new ArrayList<>();

    private final List<byte[]> responseBody = new ArrayList<>();

    private boolean finished;

    TestExchange(FilterTester tester, List<Map.Entry<String, String>> headers, Map<List<String>, byte[]> properties) {
        this.tester = tester;
        headers.forEach(pair -> requestHeaders.add(pair.getKey(), pair.getValue()));
        requestHeaders.markClean();
        this.properties.putAll(properties);
        this.context = tester.plugin().newHttpContext(this);
    }

    TestExchange requestHeaders(boolean endOfStream) {
        return step(context.onRequestHeaders(endOfStream));
    }

    /** Runs proxy_on_request_body with one chunk; what the filter lets through is in {@link #requestBody()}. */
    public TestExchange requestBody(String chunk, boolean endOfStream) {
        return requestBody(chunk.getBytes(StandardCharsets.UTF_8), endOfStream);
    }

    public TestExchange requestBody(byte[] chunk, boolean endOfStream) {
        return body(chunk, endOfStream, requestBody, true);
    }

    /**
     * The response phase: the upstream answered with this status and headers (name, value, ...), then
     * proxy_on_response_headers; {@code endOfStream} false when a body follows ({@link #responseBody}).
     */
    public TestExchange respond(int status, boolean endOfStream, String... headers) {
        if (headers.length % 2 != 0) {
            throw new IllegalArgumentException("headers come in name, value pairs");
        }
        responseHeaders = new HeaderList();
        responseHeaders.add(":status", Integer.toString(status));
        for (int i = 0; i < headers.length; i += 2) {
            responseHeaders.add(headers[i].toLowerCase(java.util.Locale.ROOT), headers[i + 1]);
        }
        responseHeaders.markClean();
        return step(context.onResponseHeaders(endOfStream));
    }

    /** Runs proxy_on_response_body with one chunk; what the filter lets through is in {@link #responseBody()}. */
    public TestExchange responseBody(String chunk, boolean endOfStream) {
        return responseBody(chunk.getBytes(StandardCharsets.UTF_8), endOfStream);
    }

    public TestExchange responseBody(byte[] chunk, boolean endOfStream) {
        return body(chunk, endOfStream, responseBody, false);
    }

    private TestExchange body(byte[] chunk, boolean endOfStream, List<byte[]> passed, boolean request) {
        MutableBuffer buffer = new MutableBuffer(chunk, Integer.MAX_VALUE - 8);
        CompletionStage<Decision> stage = request ? context.onRequestBody(buffer, endOfStream)
                : context.onResponseBody(buffer, endOfStream);
        step(stage);
        if (decision instanceof Decision.Continue) {
            passed.add(buffer.bytes(0, buffer.size()));
        }
        else if (decision instanceof Decision.ContinueWithBody replaced) {
            passed.add(replaced.body());
        }
        return this;
    }

    /**
     * After a pause: lets due work run (answers of held stubs released by the test, ticks of the advanced clock)
     * and returns whether the filter has resumed the stream by now; its decision then replaces the pause.
     */
    public boolean resumed() {
        tester.settle();
        CompletableFuture<Decision> resumption = context.resumption().toCompletableFuture();
        if (!resumption.isDone()) {
            return false;
        }
        decision = resumption.join();
        return true;
    }

    /** Runs proxy_on_done, proxy_on_log and proxy_on_delete (once). */
    public TestExchange finish() {
        if (!finished) {
            finished = true;
            context.finish().toCompletableFuture().join();
            tester.settle();
        }
        return this;
    }

    private TestExchange step(CompletionStage<Decision> stage) {
        CompletableFuture<Decision> future = stage.toCompletableFuture();
        tester.settle();
        if (!future.isDone()) {
            throw new IllegalStateException("the callback did not complete on the test's thread");
        }
        decision = future.join();
        return this;
    }

    /** The decision of the last step. */
    public Decision decision() {
        return decision;
    }

    /** Whether the last step let the stream go on. */
    public boolean continued() {
        return decision instanceof Decision.Continue || decision instanceof Decision.ContinueWithBody;
    }

    /** Whether the last step paused the stream (a header pause, an outbound call, a body the filter holds). */
    public boolean paused() {
        return decision instanceof Decision.Pause || decision instanceof Decision.AwaitBody;
    }

    /** The local response the filter sent (proxy_send_local_response), or null. */
    public LocalResponse localResponse() {
        return decision instanceof Decision.Respond respond ? respond.response() : null;
    }

    /** The local response's body as UTF-8 text, or null. */
    public String localResponseBody() {
        LocalResponse response = localResponse();
        return response == null ? null : new String(response.body(), StandardCharsets.UTF_8);
    }

    /** A request header as the filter left it, or null. */
    public String requestHeader(String name) {
        return requestHeaders.get(name);
    }

    /** A response header as the filter left it, or null. */
    public String responseHeader(String name) {
        return responseHeaders == null ? null : responseHeaders.get(name);
    }

    /** The request headers as the filter left them (the ones going upstream). */
    @Override
    public HeaderMap requestHeaders() {
        return requestHeaders;
    }

    /** The response headers as the filter left them (the ones going to the client), or null before the response. */
    @Override
    public HeaderMap responseHeaders() {
        return responseHeaders;
    }

    /** The request body the filter let through so far, UTF-8. */
    public String requestBody() {
        return text(requestBody);
    }

    /** The response body the filter let through so far, UTF-8. */
    public String responseBody() {
        return text(responseBody);
    }

    /** The properties the filter set with proxy_set_property, and those the test gave, by dotted path. */
    public byte[] propertyValue(String dottedPath) {
        return properties.get(List.of(dottedPath.split("\\.")));
    }

    private static String text(List<byte[]> chunks) {
        StringBuilder text = new StringBuilder();
        chunks.forEach(chunk -> text.append(new String(chunk, StandardCharsets.UTF_8)));
        return text.toString();
    }

    @Override
    public void close() {
        finish();
    }

    // StreamHost: what the host asks of the proxy

    @Override
    public byte[] property(List<String> path) {
        byte[] value = properties.get(path);
        return value == null ? null : Arrays.copyOf(value, value.length);
    }

    @Override
    public boolean setProperty(List<String> path, byte[] value) {
        properties.put(List.copyOf(path), value.clone());
        return true;
    }
}
