package io.wasmgateway.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.wasmgateway.it.support.Fixtures;
import io.wasmgateway.it.support.Gateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.netty.http.client.HttpClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * proxy_on_done, proxy_on_log and proxy_on_delete run once for every request's context, whatever happens to the
 * request: a normal response, a local response of a later filter, a failed upstream, a client that goes away.
 */
class RequestLifecycleTest {

    static final WireMockServer upstream = new WireMockServer(wireMockConfig().dynamicPort());

    static Gateway gateway;

    static final ListAppender<ILoggingEvent> wasmLog = new ListAppender<>();

    @BeforeAll
    static void start() {
        upstream.start();
        gateway = Gateway.start("lifecycle", Map.of("upstream.port", upstream.port(),
                "closed.port", Fixtures.closedPort(),
                "lifecycle.location", Fixtures.compiled("lifecycle_filter")));
        // after startup: Spring Boot's logging initialisation would drop an appender added earlier
        wasmLog.start();
        ((Logger) LoggerFactory.getLogger("wasm.lifecycle")).addAppender(wasmLog);
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger("wasm.lifecycle")).detachAppender(wasmLog);
        gateway.close();
        upstream.stop();
    }

    @BeforeEach
    void reset() {
        upstream.resetAll();
        upstream.stubFor(any(anyUrl()).willReturn(aResponse().withBody("ok")));
        wasmLog.list.clear();
    }

    @Test
    void afterANormalResponse() {
        gateway.client().get().uri("/life/ok").exchange().expectStatus().isOk().expectBody().returnResult();

        awaitFinished();
    }

    @Test
    void afterALaterFilterAnsweredLocally() {
        gateway.client().get().uri("/life/denied").exchange().expectStatus().isForbidden().expectBody().returnResult();

        awaitFinished();
    }

    @Test
    void afterTheUpstreamCouldNotBeReached() {
        gateway.client().get().uri("/nowhere/x").exchange().expectStatus().is5xxServerError().expectBody()
            .returnResult();

        awaitFinished();
    }

    @Test
    void afterTheClientWentAway() {
        upstream.stubFor(any(urlPathEqualTo("/life/slow"))
            .willReturn(aResponse().withFixedDelay(3000).withBody("late")));
        Disposable request = HttpClient.create()
            .get()
            .uri("http://localhost:" + gateway.port() + "/life/slow")
            .responseContent()
            .subscribe();
        await().atMost(Duration.ofSeconds(5))
            .until(() -> !upstream.findAll(getRequestedFor(urlPathEqualTo("/life/slow"))).isEmpty());
        assertThat(messages()).isEmpty();

        request.dispose();

        awaitFinished();
    }

    /** The request's context was finished in the order Envoy uses, and only once. */
    private static void awaitFinished() {
        await().during(Duration.ofMillis(300))
            .atMost(Duration.ofSeconds(5))
            .untilAsserted(() -> assertThat(messages())
                .containsExactly("lifecycle: done", "lifecycle: log", "lifecycle: delete"));
    }

    private static List<String> messages() {
        return wasmLog.list.stream().map(ILoggingEvent::getFormattedMessage)
            .map(message -> message.substring(message.indexOf("lifecycle:")))
            .toList();
    }
}
