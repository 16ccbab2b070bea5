package io.wasmgateway.it.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntFunction;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Load on a gateway: N GET requests, at most C of them in flight on at most C connections, each answer (or the
 * error in its place) turned into an outcome by the caller, and the outcomes counted by kind.
 */
public final class LoadDriver implements AutoCloseable {

    private final ConnectionProvider connections;

    private final HttpClient client;

    private final int concurrency;

    private LoadDriver(ConnectionProvider connections, HttpClient client, int concurrency) {
        this.connections = connections;
        this.client = client;
        this.concurrency = concurrency;
    }

    /** A driver with its own pool of {@code concurrency} connections to the gateway; requests wait for one. */
    public static LoadDriver open(Gateway gateway, String name, int concurrency) {
        ConnectionProvider connections = ConnectionProvider.builder(name)
            .maxConnections(concurrency)
            .pendingAcquireMaxCount(-1)
            .build();
        HttpClient client = HttpClient.create(connections)
            .baseUrl("http://localhost:" + gateway.port())
            .responseTimeout(Duration.ofSeconds(20));
        return new LoadDriver(connections, client, concurrency);
    }

    /**
     * Sends requests 0 to {@code requests - 1} and waits for all of them (three minutes at the most).
     * @param request what to send as request i
     * @param outcome what an answer counts as; null: it is not counted
     * @return how many answers had each outcome
     */
    public <T> Map<T, AtomicInteger> run(int requests, IntFunction<Request> request, Function<Answer, T> outcome) {
        Map<T, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        Flux.range(0, requests).flatMap(i -> {
            Request sent = request.apply(i);
            long sentNanos = System.nanoTime();
            return client.headers(headers -> sent.headers().forEach(headers::set))
                .get()
                .uri(sent.path())
                .responseSingle((response, body) -> body.asByteArray()
                    .defaultIfEmpty(new byte[0])
                    .map(bytes -> new Answer(i, sent, response.status().code(), bytes, null, sentNanos)))
                .onErrorResume(error -> Mono.just(new Answer(i, sent, 0, new byte[0], error, sentNanos)))
                .mapNotNull(outcome)
                .doOnNext(counted -> outcomes.computeIfAbsent(counted, o -> new AtomicInteger()).incrementAndGet());
        }, concurrency).blockLast(Duration.ofMinutes(3));
        return outcomes;
    }

    @Override
    public void close() {
        connections.dispose();
    }

    /** A GET request: its kind (how the test tells it apart), its path and the headers it sets. */
    public record Request(String kind, String path, Map<String, String> headers) {

        public Request(String kind, String path) {
            this(kind, path, Map.of());
        }

        public Request withHeader(String name, String value) {
            Map<String, String> more = new HashMap<>(headers);
            more.put(name, value);
            return new Request(kind, path, Map.copyOf(more));
        }
    }

    /**
     * What came back for request {@code index}: its status and whole body, or the error that stood in for them.
     */
    public record Answer(int index, Request request, int status, byte[] body, Throwable error, long sentNanos) {

        public boolean failed() {
            return error != null;
        }

        public String kind() {
            return request.kind();
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** How long since the request was sent, when this is called. */
        public Duration took() {
            return Duration.ofNanos(System.nanoTime() - sentNanos);
        }
    }
}
