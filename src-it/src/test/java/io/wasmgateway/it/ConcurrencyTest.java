package io.wasmgateway.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.wasmgateway.it.support.Gateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hundreds of requests at once through a filter that copies request data into headers on both sides: every
 * client gets its own values back, none lost or mixed, with a VM instance per event loop and with one VM shared
 * by all event loops (BlockHound watches that nobody waits for it).
 */
class ConcurrencyTest {

    static final int REQUESTS = 400;

    static final WireMockServer upstream = new WireMockServer(wireMockConfig().dynamicPort()
        .containerThreads(64)
        .jettyAcceptQueueSize(REQUESTS));

    static Gateway gateway;

    @BeforeAll
    static void start() {
        upstream.start();
        // the upstream echoes what the filter put in the request, so the client sees what the upstream got
        upstream.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)
            .withHeader("x-echo-unique", "{{request.headers.x-unique}}")
            .withHeader("x-echo-path-copy", "{{request.headers.x-path-copy}}")
            .withHeader("x-echo-wasm", "{{request.headers.x-wasm-c}}")
            .withBody("{{request.path}}")
            .withFixedDelay(20)
            .withTransformers("response-template")));
        gateway = Gateway.start("concurrency", Map.of("upstream.port", upstream.port()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.stop();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "/c/", "/shared/" })
    void everyRequestGetsItsOwnValuesBack(String routePrefix) {
        ConnectionProvider connections = ConnectionProvider.builder("concurrency-test")
            .maxConnections(REQUESTS)
            .pendingAcquireMaxCount(-1)
            .build();
        HttpClient client = HttpClient.create(connections).baseUrl("http://localhost:" + gateway.port());
        try {
            List<String> problems = Flux.range(0, REQUESTS)
                .flatMap(i -> check(client, routePrefix + UUID.randomUUID()), REQUESTS)
                .filter(problem -> !problem.isEmpty())
                .collectList()
                .block(Duration.ofSeconds(120));

            assertThat(problems).isEmpty();
        }
        finally {
            connections.dispose();
        }
    }

    /** One request; an empty string when everything came back as sent, else what went wrong. */
    private static Mono<String> check(HttpClient client, String path) {
        String unique = path.substring(path.lastIndexOf('/') + 1);
        return client.headers(headers -> headers.set("x-unique", unique))
            .get()
            .uri(path)
            .responseSingle((response, body) -> body.asString().defaultIfEmpty("").map(text -> {
                StringBuilder problems = new StringBuilder();
                expect(problems, "status", "200", Integer.toString(response.status().code()));
                expect(problems, "upstream saw x-unique", unique, response.responseHeaders().get("x-echo-unique"));
                expect(problems, "upstream saw the path copied by the filter", path,
                        response.responseHeaders().get("x-echo-path-copy"));
                expect(problems, "upstream saw x-wasm-c", "yes", response.responseHeaders().get("x-echo-wasm"));
                expect(problems, "response header set from request.path", path,
                        response.responseHeaders().get("x-resp-path"));
                expect(problems, "body", path, text);
                return problems.toString();
            }));
    }

    private static void expect(StringBuilder problems, String what, String expected, String actual) {
        if (!expected.equals(actual)) {
            problems.append(what).append(": expected ").append(expected).append(" but was ").append(actual)
                .append("; ");
        }
    }
}
