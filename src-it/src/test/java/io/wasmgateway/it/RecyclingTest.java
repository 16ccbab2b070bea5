package io.wasmgateway.it;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.wasmgateway.it.support.Gateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code recycle-after-requests}: the auth filter's single VM instance is replaced by a fresh one every 5 requests,
 * and no request notices, not even one paused on its outbound call while its instance is replaced;
 * {@code recycle-at-memory}: an instance whose linear memory reached the size is replaced.
 */
class RecyclingTest {

    static final WireMockServer upstream = new WireMockServer(wireMockConfig().dynamicPort());

    /** The auth service: allows every request; holds one with "Bearer hold" until the test lets it go. */
    static HttpServer auth;

    static final ExecutorService authThreads = Executors.newCachedThreadPool();

    static volatile CountDownLatch holdArrived = new CountDownLatch(1);

    static volatile CountDownLatch release = new CountDownLatch(1);

    static Gateway gateway;

    @BeforeAll
    static void start() throws IOException {
        upstream.start();
        upstream.stubFor(any(anyUrl()).willReturn(aResponse().withBody("upstream")));
        auth = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        auth.setExecutor(authThreads);
        auth.createContext("/check", RecyclingTest::check);
        auth.start();
        gateway = Gateway.start("recycle", Map.of("upstream.port", upstream.port(), "auth.port",
                auth.getAddress().getPort()));
    }

    @AfterAll
    static void stop() {
        release.countDown();
        gateway.close();
        auth.stop(0);
        authThreads.shutdownNow();
        upstream.stop();
    }

    private static void check(HttpExchange exchange) throws IOException {
        if ("Bearer hold".equals(exchange.getRequestHeaders().getFirst("authorization"))) {
            holdArrived.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Test
    void anInstanceIsReplacedEveryFiveRequestsAndEveryRequestSucceeds() {
        long before = recycled();
        for (int i = 1; i <= 12; i++) {
            allowed();
            if (i == 5 || i == 10) { // the fresh instance is made off the event loop: let it take its slot
                awaitRecycled(before + i / 5);
            }
        }

        assertThat(recycled()).isGreaterThanOrEqualTo(before + 2);
        List<?> each = (List<?>) instances().get("each");
        assertThat(each).hasSize(1);
        Map<?, ?> instance = (Map<?, ?>) each.get(0);
        assertThat(((Number) instance.get("requests")).longValue()).isBetween(0L, 5L);
        assertThat(((Number) instance.get("memoryBytes")).longValue()).isPositive();
        MeterRegistry meters = gateway.context().getBean(MeterRegistry.class);
        assertThat(meters.get("wasm.vm.recycled").tag("module", "recycled").tag("reason", "requests").counter()
            .count()).isGreaterThanOrEqualTo(before + 2);
    }

    @Test
    void aRequestPausedOnItsCallWhileItsInstanceIsRecycledCompletesOnTheOldOne() throws Exception {
        long before = recycled();
        CompletableFuture<String> held = CompletableFuture.supplyAsync(() -> gateway.client().get()
            .uri("/recycled/held")
            .header("authorization", "Bearer hold")
            .exchange()
            .expectStatus().isOk()
            .expectBody(String.class).returnResult().getResponseBody());
        assertThat(holdArrived.await(20, TimeUnit.SECONDS)).as("the held request reached the auth service").isTrue();

        for (int i = 0; i < 10 && recycled() == before; i++) {
            allowed();
        }
        awaitRecycled(before + 1);
        assertThat(held).isNotDone();

        release.countDown();
        assertThat(held.get(30, TimeUnit.SECONDS)).isEqualTo("upstream");
        allowed(); // and the fresh instance serves on
    }

    @Test
    void anInstanceWhoseMemoryReachedTheThresholdIsReplaced() {
        long before = recycled("grown");
        for (int i = 1; i <= 3; i++) {
            allowed("/grown/x");
            awaitRecycled("grown", before + i);
        }

        MeterRegistry meters = gateway.context().getBean(MeterRegistry.class);
        assertThat(meters.get("wasm.vm.recycled").tag("module", "grown").tag("reason", "memory").counter().count())
            .isGreaterThanOrEqualTo(before + 3);
    }

    private static void allowed() {
        allowed("/recycled/x");
    }

    private static void allowed(String path) {
        gateway.client().get().uri(path).header("authorization", "Bearer good")
            .exchange()
            .expectStatus().isOk()
            .expectBody(String.class).isEqualTo("upstream");
    }

    private static Map<?, ?> instances() {
        return instances("recycled");
    }

    private static Map<?, ?> instances(String module) {
        Map<?, ?> body = gateway.client().get().uri("/actuator/wasm").exchange()
            .expectStatus().isOk()
            .expectBody(Map.class).returnResult().getResponseBody();
        return (Map<?, ?>) ((Map<?, ?>) body.get("instances")).get(module);
    }

    private static long recycled() {
        return recycled("recycled");
    }

    private static long recycled(String module) {
        return ((Number) instances(module).get("recycled")).longValue();
    }

    private static void awaitRecycled(long count) {
        awaitRecycled("recycled", count);
    }

    private static void awaitRecycled(String module, long count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (recycled(module) < count && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        assertThat(recycled(module)).as("recycled instances of " + module).isGreaterThanOrEqualTo(count);
    }
}
