package io.wasmgateway.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.wasmgateway.it.support.Fixtures;
import io.wasmgateway.it.support.RedisServer;
import io.wasmgateway.sample.SampleGatewayApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The sample's profile {@code redis}: the cluster-wide limiter and the replicated deny list, on a real Redis. */
class SampleRedisProfileTest {

    static RedisServer redis;

    static ConfigurableApplicationContext sample;

    static WebTestClient client;

    @BeforeAll
    static void start() {
        redis = RedisServer.start();
        int port = Fixtures.closedPort();
        sample = SpringApplication.run(SampleGatewayApplication.class, "--server.port=" + port,
                "--spring.profiles.active=redis", "--spring.data.redis.port=" + redis.port(),
                "--spring.data.redis.password=" + RedisServer.PASSWORD);
        client = WebTestClient.bindToServer(new ReactorClientHttpConnector(HttpClient.create(ConnectionProvider.newConnection()))) // as Gateway.client()
            .baseUrl("http://localhost:" + port)
            .responseTimeout(Duration.ofSeconds(30))
            .build();
    }

    @AfterAll
    static void stop() {
        if (sample != null) {
            sample.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void theClusterWideLimiterAllowsThreeAMinute() {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            statuses.add(client.get().uri("/cluster-limited/x").header("x-api-key", "alice").exchange()
                .expectBody().returnResult().getStatus().value());
        }
        assertThat(statuses).containsExactly(200, 200, 200, 429);
    }

    @Test
    void aDenyListEntryRefusesTheKey() {
        client.post().uri("/actuator/wasm/shared-data/denylist:mallory").contentType(MediaType.APPLICATION_JSON)
            .bodyValue(Map.of("value", "abuse")).exchange().expectStatus().isOk().expectBody().returnResult();
        await().atMost(Duration.ofSeconds(5)).until(() -> client.get().uri("/guarded/x").header("x-api-key", "mallory")
            .exchange().expectBody().returnResult().getStatus().value() == 403);
    }
}
