package io.wasmgateway.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.wasmgateway.it.support.Gateway;
import io.wasmgateway.it.support.Heap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Routes added and removed through /actuator/gateway/routes and refreshed: the plugin of a removed route is
 * released (proxy_on_done then proxy_on_delete on its root context on every VM instance, its tick and queue
 * registration stopped) once no request uses it, a request in flight on it completes first, and 1,000 refreshes
 * leave the root contexts and the heap where they were. The module (fixtures/root_lifecycle_filter.wat) logs the
 * end of each root context with its plugin configuration, and fails proxy_on_configure when its VM instance has
 * no queue registration left (at most 1024 each).
 */
@ExtendWith(OutputCaptureExtension.class)
class RouteRefreshTest {

    static final WireMockServer upstream = new WireMockServer(wireMockConfig().dynamicPort());

    static Gateway gateway;

    @BeforeAll
    static void start() {
        upstream.start();
        upstream.stubFor(get(urlPathMatching("/.*")).willReturn(aResponse().withStatus(200).withBody("ok")));
        upstream.stubFor(get(urlPathMatching("/slow/.*"))
            .willReturn(aResponse().withStatus(200).withBody("slow ok").withFixedDelay(1500)));
        gateway = Gateway.start("refresh", Map.of("upstream.port", upstream.port()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.stop();
    }

    @Test
    void aRemovedRoutesRootContextsGetDoneAndDeleteOnEveryInstance(CapturedOutput output) {
        addRoute("gone", "/gone/**", "gone-1");
        refresh();
        assertThat(status("/gone/x")).isEqualTo(200);
        assertThat(rootContexts()).isEqualTo(4); // static and gone, on 2 instances
        removeRoute("gone");
        refresh();
        awaitRootContexts(2);
        assertThat(status("/gone/x")).isEqualTo(404);
        assertThat(status("/static/x")).isEqualTo(200);
        assertThat(count(output, "root done: gone-1")).isEqualTo(2);
        assertThat(count(output, "root delete: gone-1")).isEqualTo(2);
        assertThat(output.getOut().indexOf("root done: gone-1"))
            .isLessThan(output.getOut().indexOf("root delete: gone-1"));
        assertThat(count(output, "root done: static")).isZero();
    }

    @Test
    void aRequestInFlightOnARemovedRouteCompletesBeforeItsPluginIsReleased(CapturedOutput output) throws Exception {
        addRoute("slow", "/slow/**", "slow-1");
        refresh();
        CompletableFuture<String> inFlight = CompletableFuture.supplyAsync(() -> gateway.client().get()
            .uri("/slow/x").exchange().expectStatus().isOk().expectBody(String.class).returnResult()
            .getResponseBody());
        Thread.sleep(500); // the request waits for the upstream's answer
        removeRoute("slow");
        refresh();
        assertThat(rootContexts()).as("pinned by the request in flight").isEqualTo(4);
        assertThat(count(output, "root done: slow-1")).isZero();
        assertThat(inFlight.get()).isEqualTo("slow ok");
        awaitRootContexts(2);
        assertThat(count(output, "root done: slow-1")).isEqualTo(2);
        assertThat(count(output, "root delete: slow-1")).isEqualTo(2);
    }

    @Test
    void refreshing1000TimesKeepsRootContextsAndHeapFlat() {
        long heapBefore = 0;
        for (int i = 1; i <= 1_000; i++) {
            addRoute("changing", "/changing/**", "changing-" + i);
            refresh();
            if (i % 100 == 0) {
                assertThat(status("/changing/x")).as("route after refresh " + i).isEqualTo(200);
                awaitRootContexts(4); // static and the current changing, on 2 instances
            }
            if (i == 100) {
                heapBefore = Heap.usedAfterGc();
            }
        }
        long heapAfter = Heap.usedAfterGc();
        System.out.printf("route refresh: 1000 refreshes, heap after GC %d MB after 100, %d MB after 1000%n",
                heapBefore >> 20, heapAfter >> 20);
        assertThat(heapAfter).as("heap after GC").isLessThan(heapBefore + 32L * 1024 * 1024);
        removeRoute("changing");
        refresh();
        awaitRootContexts(2);
    }

    private static void addRoute(String id, String path, String configuration) {
        Map<String, Object> route = Map.of("id", id, "uri", "http://localhost:" + upstream.port(),
                "predicates", List.of(Map.of("name", "Path", "args", Map.of("_genkey_0", path))),
                "filters", List.of(Map.of("name", "ProxyWasm",
                        "args", Map.of("module", "roots", "config", configuration))));
        gateway.client().post().uri("/actuator/gateway/routes/" + id).contentType(MediaType.APPLICATION_JSON)
            .bodyValue(route).exchange().expectStatus().is2xxSuccessful();
    }

    private static void removeRoute(String id) {
        gateway.client().delete().uri("/actuator/gateway/routes/" + id).exchange().expectStatus().is2xxSuccessful();
    }

    private static void refresh() {
        gateway.client().post().uri("/actuator/gateway/refresh").exchange().expectStatus().is2xxSuccessful();
    }

    private static int status(String path) {
        return gateway.client().get().uri(path).exchange().expectBody().returnResult().getStatus().value();
    }

    private static int rootContexts() {
        Map<?, ?> body = gateway.client().get().uri("/actuator/wasm").exchange().expectStatus().isOk()
            .expectBody(Map.class).returnResult().getResponseBody();
        Map<?, ?> instances = (Map<?, ?>) ((Map<?, ?>) body.get("instances")).get("roots");
        return ((Number) instances.get("rootContexts")).intValue();
    }

    /** Root contexts end on the instances' lanes, just after the refresh or the last request. */
    private static void awaitRootContexts(int expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (rootContexts() != expected && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        assertThat(rootContexts()).as("root contexts").isEqualTo(expected);
    }

    private static long count(CapturedOutput output, String line) {
        return output.getOut().lines().filter(l -> l.endsWith(line)).count();
    }
}
