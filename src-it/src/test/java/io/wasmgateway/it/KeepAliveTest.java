package io.wasmgateway.it;

import java.time.Duration;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.wasmgateway.it.support.Fixtures;
import io.wasmgateway.it.support.Gateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One keep-alive connection, one request after the other: a request the auth filter answers after its call to
 * the auth service (whose answer arrives on another thread), then one the filter answers at once (its call cannot
 * start), then one that goes upstream. Reactor Netty (1.3.6) stops reading a keep-alive connection for good when a request arrives
 * before the previous request's operations have ended and is then answered synchronously (reactor/reactor-netty
 * #4361): a response completed off its connection's event loop opens exactly that window, so the gateway must
 * finish every request on its own event loop.
 */
class KeepAliveTest {

    static final WireMockServer upstream = new WireMockServer(wireMockConfig().dynamicPort());

    static final WireMockServer auth = new WireMockServer(wireMockConfig().dynamicPort());

    static Gateway gateway;

    @BeforeAll
    static void start() {
        upstream.start();
        auth.start();
        upstream.stubFor(any(anyUrl()).willReturn(aResponse().withBody("upstream")));
        auth.stubFor(get(urlPathEqualTo("/check")).willReturn(aResponse().withStatus(401).withBody("no")));
        auth.stubFor(get(urlPathEqualTo("/check")).withHeader("authorization", equalTo("Bearer good"))
            .willReturn(aResponse().withStatus(200).withBody("ok")));
        gateway = Gateway.start("calls", Map.of("upstream.port", upstream.port(), "auth.port", auth.port(),
                "closed.port", Fixtures.closedPort()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        auth.stop();
        upstream.stop();
    }

    @Test
    void oneConnectionKeepsServingAfterResponsesThatFollowedACallOnAnotherThread() {
        ConnectionProvider oneConnection = ConnectionProvider.create("keep-alive-test", 1);
        try {
            HttpClient client = HttpClient.create(oneConnection).baseUrl("http://localhost:" + gateway.port());
            for (int i = 0; i < 300; i++) {
                assertThat(send(client, "/auth/x", "Bearer bad")).as("round %d, refused after the call", i)
                    .isEqualTo("401 no");
                assertThat(send(client, "/auth-unknown/x", "")).as("round %d, answered at once", i)
                    .isEqualTo("500 auth call failed: 2\n");
                assertThat(send(client, "/auth/x", "Bearer good")).as("round %d, let through", i)
                    .isEqualTo("200 upstream");
            }
        }
        finally {
            oneConnection.dispose();
        }
    }

    private static String send(HttpClient client, String path, String authorization) {
        return client.headers(headers -> headers.set("authorization", authorization))
            .get()
            .uri(path)
            .responseSingle((response, body) -> body.asString()
                .defaultIfEmpty("")
                .map(text -> response.status().code() + " " + text))
            .block(Duration.ofSeconds(10));
    }
}
