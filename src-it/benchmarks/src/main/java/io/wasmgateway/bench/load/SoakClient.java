package io.wasmgateway.bench.load;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The soak test's load (src-it/bench/soak.sh): CONCURRENCY requests at a time for SECONDS, in turn to the header,
 * body and outbound-call routes of the soak gateway, one in a hundred with {@code x-hostile: qU} (a trap). Prints
 * the number of requests and the outcomes by cause: {@code <route> <status>} for answers ({@code wrong body} when
 * a 200 lacks what its route adds), or the error's class for requests without an answer.
 * {@code java ... SoakClient <gateway port> <seconds> <concurrency>}.
 */
public final class SoakClient {

    private static final List<String> ROUTES = List.of("soak-headers", "soak-body", "soak-call");

    private SoakClient() {
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        long seconds = Long.parseLong(args[1]);
        int concurrency = Integer.parseInt(args[2]);
        ConnectionProvider connections = ConnectionProvider.builder("soak")
            .maxConnections(concurrency)
            .pendingAcquireMaxCount(-1)
            .build();
        HttpClient client = HttpClient.create(connections)
            .baseUrl("http://127.0.0.1:" + port)
            .responseTimeout(Duration.ofSeconds(10));
        Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
        AtomicLong sent = new AtomicLong();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        Flux.<Long>generate(sink -> sink.next(sent.getAndIncrement()))
            .takeWhile(i -> System.nanoTime() < end)
            .flatMap(i -> request(client, i), concurrency)
            .doOnNext(outcome -> outcomes.computeIfAbsent(outcome, o -> new AtomicLong()).incrementAndGet())
            .blockLast();
        connections.dispose();
        long requests = outcomes.values().stream().mapToLong(AtomicLong::get).sum();
        System.out.printf("requests %d in %d s (%d/s)%n", requests, seconds, requests / Math.max(1, seconds));
        new TreeMap<>(outcomes).forEach((outcome, count) -> System.out.printf("  %-34s %d%n", outcome, count.get()));
    }

    private static Mono<String> request(HttpClient client, long i) {
        String route = ROUTES.get((int) (i % ROUTES.size()));
        boolean hostile = i % 100 == 50;
        String kind = hostile ? route + " trap" : route;
        return client.headers(headers -> {
            if (hostile) {
                headers.set("x-hostile", "qU");
            }
        })
            .get()
            .uri("/" + route + "/" + i)
            .responseSingle((response, body) -> body.asString().defaultIfEmpty("").map(text -> {
                int status = response.status().code();
                boolean whole = status != 200 || switch (route) {
                    case "soak-headers" -> response.responseHeaders().contains("x-bench");
                    case "soak-body" -> text.equals("hello from the wasm-gateway\n");
                    default -> text.equals("hello from the upstream\n");
                };
                return kind + " " + status + (whole ? "" : " wrong body");
            }))
            .onErrorResume(error -> Mono.just(kind + " " + error.getClass().getSimpleName()));
    }
}
