package io.wasmgateway.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.wasmgateway.host.HostServices;
import io.wasmgateway.host.shared.SharedData;
import io.wasmgateway.it.support.Gateway;
import io.wasmgateway.it.support.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.http.MediaType;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Shared data replicated through a real redis-server between real gateways: a deny-list entry put through one
 * gateway's Actuator refuses requests on the other; a delete lifts it everywhere; a gateway started later starts
 * with the current state; a gateway that lost Redis serves its local view and catches up when Redis is back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicatedSharedDataTest {

    static final WireMockServer upstream = new WireMockServer(wireMockConfig().dynamicPort().containerThreads(32));

    static RedisServer redis;

    static Map<String, Object> properties;

    static Gateway first;

    static Gateway second;

    static Gateway third;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        upstream.start();
        properties = Map.of("upstream.port", upstream.port(), "redis.port", redis.port(), "redis.password",
                RedisServer.PASSWORD);
        first = Gateway.start("redis", properties);
        second = Gateway.start("redis", properties);
    }

    @AfterAll
    static void stop() {
        // (closing any gateway of this JVM disposes Reactor Netty's global resources: all close at the end)
        if (third != null) {
            third.close();
        }
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
    void anEntryPutThroughOneGatewaysActuatorRefusesRequestsOnTheOther() {
        assertThat(status(second, "mallory")).isEqualTo(200);
        put(first, "denylist:mallory", "abuse");
        await().atMost(Duration.ofSeconds(5)).until(() -> status(second, "mallory") == 403);
        assertThat(status(first, "mallory")).isEqualTo(403);
        assertThat(status(second, "alice")).isEqualTo(200);
        var denied = second.client().get().uri("/denied/x").header("x-api-key", "mallory").exchange()
            .expectBody().returnResult();
        assertThat(new String(denied.getResponseBody())).isEqualTo("denied\n");
        assertThat(denied.getResponseHeaders().getFirst("x-denied-by")).isEqualTo("deny_list_filter");
    }

    @Test
    @Order(2)
    void aDeleteOnTheOtherGatewayLiftsItEverywhere() {
        second.client().delete().uri("/actuator/wasm/shared-data/denylist:mallory").exchange().expectStatus().isOk()
            .expectBody().returnResult();
        await().atMost(Duration.ofSeconds(5)).until(() -> status(first, "mallory") == 200);
        assertThat(status(second, "mallory")).isEqualTo(200);
    }

    @Test
    @Order(3)
    void keysOutsideTheReplicatedPrefixesStayLocal() throws Exception {
        put(first, "local:only", "here");
        put(first, "denylist:trudy", "x"); // replicated after the local one: once it arrives, the other would have
        await().atMost(Duration.ofSeconds(5)).until(() -> sharedData(second).peek("denylist:trudy") != null);
        assertThat(sharedData(second).peek("local:only")).isNull();
        assertThat(sharedData(first).peek("local:only")).isNotNull();
    }

    @Test
    @Order(4)
    void aGatewayStartedLaterStartsWithTheCurrentState() {
        third = Gateway.start("redis", properties);
        assertThat(status(third, "trudy")).isEqualTo(403);
    }

    @Test
    @Order(5)
    void writesReachTheOtherGatewayQuickly() {
        List<Long> micros = new ArrayList<>();
        SharedData other = sharedData(second);
        for (int i = 0; i < 50; i++) {
            String key = "denylist:latency-" + i;
            long written = System.nanoTime(); // before the write's HTTP round trip: an upper bound
            put(first, key, "v");
            while (other.peek(key) == null) {
                Thread.onSpinWait();
                assertThat(System.nanoTime() - written).isLessThan(Duration.ofSeconds(5).toNanos());
            }
            micros.add((System.nanoTime() - written) / 1000);
        }
        Collections.sort(micros);
        System.out.printf("replication latency (Actuator write sent to one gateway -> visible on the other, 50 writes): "
                + "median %d us, p90 %d us, max %d us%n", micros.get(25), micros.get(45), micros.get(49));
    }

    @Test
    @Order(6)
    void aGatewayThatLostRedisKeepsItsLocalViewAndCatchesUp() throws Exception {
        redis.stop();
        try {
            put(first, "denylist:oscar", "while redis was down");
            assertThat(status(first, "oscar")).isEqualTo(403); // the local view serves at once
            assertThat(status(second, "oscar")).isEqualTo(200); // the other cannot know yet
            assertThat(status(second, "trudy")).isEqualTo(403); // and keeps its own view
        } finally {
            redis.startAgain(); // empty: the gateways repopulate it
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> status(second, "oscar") == 403);
        assertThat(status(first, "trudy")).isEqualTo(403);
        await().atMost(Duration.ofSeconds(20)).until(() -> redis.command("HEXISTS", "wasm-gateway:shared-data:values",
                "denylist:trudy").startsWith(":1"));
    }

    private static int status(Gateway gateway, String key) {
        return gateway.client().get().uri("/denied/x").header("x-api-key", key).exchange().expectBody().returnResult()
            .getStatus().value();
    }

    private static void put(Gateway gateway, String key, String value) {
        gateway.client().post().uri("/actuator/wasm/shared-data/" + key).contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("value", value)).exchange().expectStatus().isOk().expectBody().returnResult();
    }

    private static SharedData sharedData(Gateway gateway) {
        return gateway.context().getBean(HostServices.class).sharedData();
    }
}
