package io.wasmgateway.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.wasmgateway.it.support.Gateway;
import io.wasmgateway.it.support.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.test.web.reactive.server.EntityExchangeResult;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two real gateways sharing one real redis-server: the cluster-wide rate limiter (one EVAL per request) holds
 * its limit across both; Redis stopped and started again; refused credentials. BlockHound watches every event
 * loop throughout.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisCallsTest {

    static final WireMockServer upstream = new WireMockServer(wireMockConfig().dynamicPort().containerThreads(32));

    static RedisServer redis;

    static Gateway first;

    static Gateway second;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        upstream.start();
        Map<String, Object> properties = Map.of("upstream.port", upstream.port(), "redis.port", redis.port(),
                "redis.password", RedisServer.PASSWORD);
        first = Gateway.start("redis", properties);
        second = Gateway.start("redis", properties);
    }

    @AfterAll
    static void stop() {
        if (second != null) {
            second.close();
        }
        if (first != null) {
            first.close();
        }
        upstream.stop();
        if (redis != null) {
            redis.close();
        }
    }

    @BeforeEach
    void reset() {
        upstream.resetAll();
        upstream.stubFor(any(anyUrl()).willReturn(aResponse().withBody("ok")));
    }

    @Test
    @Order(1)
    void theLimitHoldsExactlyAcrossBothGateways() {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Gateway gateway = i % 2 == 0 ? first : second;
            statuses.add(get(gateway, "/limited/x", "alice").getStatus().value());
        }
        assertThat(statuses).containsExactly(200, 200, 200, 200, 200, 429, 429, 429);

        EntityExchangeResult<byte[]> limited = get(second, "/limited/x", "alice");
        assertThat(limited.getStatus().value()).isEqualTo(429);
        assertThat(new String(limited.getResponseBody())).isEqualTo("rate limited\n");
        assertThat(limited.getResponseHeaders().getFirst("x-ratelimit-limit")).isEqualTo("5");
        assertThat(Long.parseLong(limited.getResponseHeaders().getFirst("retry-after"))).isBetween(1L, 3600L);
        assertThat(get(first, "/limited/x", "bob").getStatus().value()).isEqualTo(200); // another key
        // the upstream saw the remaining count the filter set
        assertThat(upstream.getAllServeEvents()).hasSize(6);
        assertThat(upstream.getAllServeEvents().stream()
            .map(event -> event.getRequest().getHeader("x-ratelimit-remaining"))
            .sorted()
            .toList()).containsExactly("0", "1", "2", "3", "4", "4");
    }

    @Test
    @Order(2)
    void callsAreTimedPerClusterAndOutcome() {
        get(first, "/limited/x", "carol");
        String body = new String(first.client().get().uri("/actuator/metrics/wasm.redis.calls?tag=cluster:main&tag=outcome:success")
            .exchange()
            .expectStatus().isOk()
            .expectBody().returnResult().getResponseBody());
        assertThat(body).contains("\"name\":\"wasm.redis.calls\"").contains("\"statistic\":\"COUNT\"");
    }

    @Test
    @Order(3)
    void refusedCredentialsAreAnErrorStatusToTheFilterAndAClearHealthDetail() {
        EntityExchangeResult<byte[]> wrong = get(first, "/wrong/x", "alice");
        assertThat(wrong.getStatus().value()).isEqualTo(503);
        assertThat(new String(wrong.getResponseBody())).isEqualTo("rate limiter unavailable\n");
        String health = new String(first.client().get().uri("/actuator/health/wasmRedis")
            .exchange()
            .expectBody().returnResult().getResponseBody());
        assertThat(health).contains("\"status\":\"DOWN\"").contains("\"main\":{\"status\":\"UP\"")
            .contains("the credentials were refused");
    }

    @Test
    @Order(4)
    void withRedisStoppedRequestsFollowEachFiltersFailureModeAndRecoverWhenItIsBack() {
        assertThat(get(first, "/closed/x", "dave").getStatus().value()).isEqualTo(200);
        redis.stop();
        try {
            EntityExchangeResult<byte[]> open = get(first, "/limited/x", "erin");
            assertThat(open.getStatus().value()).isEqualTo(200); // fail open: let through, marked
            assertThat(upstream.getAllServeEvents().get(0).getRequest().getHeader("x-ratelimit-status"))
                .isEqualTo("unavailable");
            EntityExchangeResult<byte[]> closed = get(second, "/closed/x", "dave");
            assertThat(closed.getStatus().value()).isEqualTo(503);
            assertThat(new String(closed.getResponseBody())).isEqualTo("rate limiter unavailable\n");
        } finally {
            redis.startAgain();
        }
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
            .until(() -> get(second, "/closed/x", "dave").getStatus().value() == 200
                    && get(first, "/closed/x", "dave").getStatus().value() == 200);
        // Redis came back empty: the count starts again
        assertThat(get(first, "/limited/x", "alice").getResponseHeaders().isEmpty()).isFalse();
    }

    private static EntityExchangeResult<byte[]> get(Gateway gateway, String path, String key) {
        return gateway.client().get().uri(path).header("x-api-key", key).exchange().expectBody().returnResult();
    }
}
