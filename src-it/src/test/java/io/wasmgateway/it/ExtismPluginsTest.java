package io.wasmgateway.it;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.wasmgateway.it.support.Gateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.web.reactive.function.client.WebClient;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Extism plugins built from source (filters/extism/, AssemblyScript PDK) as route handlers through a real
 * gateway: WasmRewrite changes or answers requests, WasmContent serves whole routes, and a plugin that answers
 * nonsense, reports an error, traps or loops costs one request its answer, never the gateway.
 */
@ExtendWith(OutputCaptureExtension.class)
class ExtismPluginsTest {

    static final WireMockServer upstream = new WireMockServer(wireMockConfig().dynamicPort());

    @TempDir
    static Path files;

    static Path reloaded;

    static Path watched;

    static Gateway gateway;

    @BeforeAll
    static void start() throws IOException {
        upstream.start();
        reloaded = Files.write(files.resolve("reloaded.wasm"), filter("extism_json_content.wasm"));
        watched = Files.write(files.resolve("watched.wasm"), filter("extism_json_content.wasm"));
        gateway = Gateway.start("extism", Map.of("upstream.port", upstream.port(), "reloaded.location",
                reloaded.toUri(), "watched.location", watched.toUri()), Recorder.class);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.stop();
    }

    @BeforeEach
    void upstreamAnswersOk() {
        upstream.resetAll();
        upstream.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("from upstream")));
    }

    @Test
    void aRewriteLetsAKnownKeyThroughAsItsUser() {
        gateway.client().get().uri("/keyed/orders?x=1").header("x-api-key", "k-bob")
            .exchange()
            .expectStatus().isOk()
            .expectBody(String.class).isEqualTo("from upstream");

        upstream.verify(1, getRequestedFor(urlEqualTo("/keyed/orders?x=1"))
            .withHeader("x-api-user", equalTo("bob"))
            .withHeader("x-api-key", absent()));
    }

    @Test
    void aRewriteAnswersAnUnknownKeyItselfWithoutCallingTheUpstream() {
        gateway.client().get().uri("/keyed/orders").header("x-api-key", "k-mallory")
            .exchange()
            .expectStatus().isEqualTo(401)
            .expectHeader().valueEquals("content-type", "application/json")
            .expectHeader().valueEquals("www-authenticate", "ApiKey")
            .expectHeader().valueEquals("content-length", "38")
            .expectBody(String.class).isEqualTo("{\"error\":\"missing or unknown API key\"}");

        upstream.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aRewriteRunsAfterAProxyWasmFilterWhoseResponseCallbacksSeeItsAnswer() {
        gateway.client().get().uri("/mixed/a").header("x-api-key", "k-alice")
            .exchange()
            .expectStatus().isOk()
            .expectHeader().valueEquals("server", "wasm-gateway")
            .expectBody(String.class).isEqualTo("from upstream");
        upstream.verify(1, getRequestedFor(urlEqualTo("/mixed/a"))
            .withHeader("x-wasm-c", equalTo("yes"))
            .withHeader("x-api-user", equalTo("alice")));

        gateway.client().get().uri("/mixed/b")
            .exchange()
            .expectStatus().isEqualTo(401)
            .expectHeader().valueEquals("server", "wasm-gateway")
            .expectBody(String.class).isEqualTo("{\"error\":\"missing or unknown API key\"}");
        upstream.verify(0, getRequestedFor(urlEqualTo("/mixed/b")));
    }

    @Test
    void aRewriteChangesThePathAndHeadersGoingUpstream() {
        gateway.client().get().uri("/reroute/a/b?q=2")
            .exchange()
            .expectStatus().isOk()
            .expectBody(String.class).isEqualTo("from upstream");

        upstream.verify(1, getRequestedFor(urlEqualTo("/rewritten/reroute/a/b?q=2"))
            .withHeader("x-seen-path", equalTo("/reroute/a/b")));
    }

    @Test
    void contentServesAWholeRouteWithoutAnUpstream() {
        gateway.client().get().uri("/hello/world?lang=en")
            .exchange()
            .expectStatus().isOk()
            .expectHeader().contentType(MediaType.APPLICATION_JSON)
            .expectBody(String.class)
            .isEqualTo("{\"message\":\"hello from extism\",\"method\":\"GET\",\"path\":\"/hello/world\","
                    + "\"query\":\"lang=en\"}");

        upstream.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void theEnvelopeCarriesTheRequestAndTheRoutesConfig() {
        String envelope = gateway.client().post().uri("/echo/path?a=1&b=c+d")
            .header("x-one", "1")
            .header("X-Two", "a", "b")
            .contentType(MediaType.TEXT_PLAIN)
            .bodyValue("héllo")
            .exchange()
            .expectStatus().isOk()
            .expectHeader().contentType(MediaType.APPLICATION_JSON)
            .expectBody(String.class).returnResult().getResponseBody();

        JsonNode json = JsonMapper.shared().readTree(envelope);
        assertThat(json.propertyNames()).containsExactly("method", "path", "query", "headers", "route", "config",
                "body");
        assertThat(json.get("method").asString()).isEqualTo("POST");
        assertThat(json.get("path").asString()).isEqualTo("/echo/path");
        assertThat(json.get("query").asString()).isEqualTo("a=1&b=c+d");
        assertThat(json.get("headers").get("x-one").asString()).isEqualTo("1");
        assertThat(json.get("headers").get("x-two").asString()).isEqualTo("a, b");
        assertThat(json.get("headers").get("content-type").asString()).isEqualTo("text/plain");
        assertThat(json.get("route").asString()).isEqualTo("echo");
        assertThat(json.get("config").asString()).isEqualTo("route config");
        assertThat(json.get("body").asString()).isEqualTo("héllo");
    }

    @Test
    void aBodyLargerThanTheModulesLimitIsAnswered413() {
        gateway.client().post().uri("/echo/big").bodyValue("x".repeat(65))
            .exchange()
            .expectStatus().isEqualTo(413)
            .expectBody(String.class).isEqualTo("request body too large\n");
    }

    @Test
    void aReplyThatIsNotJsonIsAnswered502AndLogged(CapturedOutput output) {
        gateway.client().get().uri("/misbehave/not-json")
            .exchange()
            .expectStatus().isEqualTo(502)
            .expectBody(String.class).isEqualTo("wasm plugin reply invalid\n");

        assertThat(output).contains("WasmContent of wasm module 'misbehaving' on route 'not-json': function "
                + "'not_json' answered an invalid reply: the reply is not JSON");
    }

    @Test
    void aReplyWithAnImpossibleStatusIsAnswered502AndLogged(CapturedOutput output) {
        gateway.client().get().uri("/misbehave/bad-status")
            .exchange()
            .expectStatus().isEqualTo(502)
            .expectBody(String.class).isEqualTo("wasm plugin reply invalid\n");

        assertThat(output).contains("function 'bad_status' answered an invalid reply: \"status\" must be a number "
                + "from 200 to 599, was 1000");
    }

    @Test
    void anErrorThePluginReturnsAnswersByTheFailurePolicy(CapturedOutput output) {
        gateway.client().get().uri("/misbehave/refuses")
            .exchange()
            .expectStatus().isEqualTo(503)
            .expectBody(String.class).isEqualTo("wasm filter failed\n");

        assertThat(output).contains("WasmRewrite of wasm module 'misbehaving' failed on route 'refuses' "
                + "(fail-closed): wasm module 'misbehaving' function 'refuses' returned an error: "
                + "refusing this request");
        upstream.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aTrapCostsOneRequestAndItsInstanceIsReplaced(CapturedOutput output) {
        double traps = traps("trap");

        gateway.client().get().uri("/misbehave/trap")
            .exchange()
            .expectStatus().isEqualTo(503)
            .expectBody(String.class).isEqualTo("wasm filter failed\n");

        assertThat(output).contains("function 'trap' trapped: Trapped on unreachable instruction");
        assertThat(traps("trap")).isEqualTo(traps + 1);
        upstream.verify(0, anyRequestedFor(anyUrl()));
        await().atMost(Duration.ofSeconds(20)).until(() -> output.toString()
            .contains("Replaced a broken instance of wasm module 'misbehaving'"));
        assertServedNormally();
    }

    @Test
    void aLoopingCallIsStoppedByItsBudgetAndTheGatewayKeepsServing(CapturedOutput output) {
        for (int i = 0; i < 3; i++) { // more than the module's two instances
            gateway.client().get().uri("/misbehave/spin")
                .exchange()
                .expectStatus().isEqualTo(503)
                .expectBody(String.class).isEqualTo("wasm filter failed\n");
        }

        assertThat(output).contains("function 'spin' trapped: ran past its execution budget of 100 ms "
                + "(callback-timeout) and was interrupted");
        // other modules never stopped serving; this one does again once its instances are replaced
        contentServesAWholeRouteWithoutAnUpstream();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(this::assertServedNormally);
    }

    @Test
    void failOpenSkipsAFailingRewrite() {
        gateway.client().get().uri("/open/trap")
            .exchange()
            .expectStatus().isOk()
            .expectBody(String.class).isEqualTo("from upstream");
    }

    @Test
    void aReloadedPluginServesNewRequests() throws IOException {
        gateway.client().get().uri("/reloaded/x")
            .exchange()
            .expectStatus().isOk()
            .expectBody(String.class).value(body -> assertThat(body).startsWith("{\"message\":\"hello\""));

        Files.write(reloaded, filter("extism_test_plugin.wasm"));
        HttpResponse<String> reload = reload("reloaded");
        assertThat(reload.statusCode()).isEqualTo(200);
        assertThat(reload.body()).contains("\"outcome\":\"reloaded\"");

        gateway.client().get().uri("/reloaded/x")
            .exchange()
            .expectStatus().isOk()
            .expectHeader().contentType("text/plain")
            .expectBody(String.class).isEqualTo("hello from the test plugin");

        Files.write(reloaded, "not wasm".getBytes());
        HttpResponse<String> failed = reload("reloaded");
        assertThat(failed.statusCode()).isEqualTo(422);
        assertThat(failed.body()).contains("\"outcome\":\"failed\"", "Wasm module 'reloaded'");
        gateway.client().get().uri("/reloaded/x")
            .exchange()
            .expectStatus().isOk()
            .expectBody(String.class).isEqualTo("hello from the test plugin");
    }

    @Test
    void aPluginReachesAnAllowedHostOffTheEventLoop() {
        gateway.client().get().uri("/fetch/allowed")
            .exchange()
            .expectStatus().isOk()
            .expectBody(String.class).isEqualTo("fetched: from upstream");

        upstream.verify(1, getRequestedFor(urlEqualTo("/data")).withHeader("x-fetched-by", equalTo("extism")));
    }

    @Test
    void aPluginsRequestToAHostNotAllowedFailsItsCall(CapturedOutput output) {
        gateway.client().get().uri("/fetch/denied")
            .exchange()
            .expectStatus().isEqualTo(503)
            .expectBody(String.class).isEqualTo("wasm filter failed\n");

        assertThat(output).contains("function 'fetch' trapped: HTTP request to '127.0.0.1' is not allowed");
        upstream.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void actuatorShowsTheModulesAndTheirHealth() {
        gateway.client().get().uri("/actuator/extism")
            .exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.modules.apikeys.location").isEqualTo("classpath:filters/extism_api_key_check.wasm")
            .jsonPath("$.modules.apikeys.functions").isEqualTo(List.of("check"))
            .jsonPath("$.modules.content.instances").isEqualTo(2)
            .jsonPath("$.modules.fetcher.allowedHosts").isEqualTo(List.of("localhost"))
            .jsonPath("$.routeFunctions.misbehaving").isEqualTo(List.of("bad_status", "echo", "not_json", "refuses",
                    "reroute", "spin", "trap"));
        gateway.client().get().uri("/actuator/health/extism")
            .exchange()
            .expectBody()
            .jsonPath("$.components.apikeys.status").doesNotExist()
            .jsonPath("$.details.content.status").isEqualTo("LOADED")
            .jsonPath("$.details.content.instances").isEqualTo(2);
    }

    @Test
    void aWatchedPluginIsReloadedWhenItsFileChanges() throws IOException {
        gateway.client().get().uri("/watched/x")
            .exchange()
            .expectStatus().isOk()
            .expectBody(String.class).value(body -> assertThat(body).startsWith("{\"message\":\"hello\""));

        Files.write(watched, filter("extism_test_plugin.wasm"));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> gateway.client().get().uri("/watched/x")
            .exchange()
            .expectStatus().isOk()
            .expectBody(String.class).isEqualTo("hello from the test plugin"));
    }

    @Test
    void callsAreTimedPerModuleAndFunction() {
        contentServesAWholeRouteWithoutAnUpstream();

        MeterRegistry meters = gateway.context().getBean(MeterRegistry.class);
        assertThat(meters.get("wasm.callback.duration").tag("module", "content").tag("callback", "hello").timer()
            .count()).isPositive();
        assertThat(meters.get("wasm.requests").tag("module", "content").counter().count()).isPositive();
    }

    @Test
    void concurrentRequestsShareTheInstancesWithoutMixingUpTheirAnswers() {
        WebClient client = WebClient.create("http://localhost:" + gateway.port());

        List<String> bodies = Flux.range(0, 400)
            .flatMap(i -> client.get().uri("/hello/n?i=" + i).retrieve().bodyToMono(String.class)
                .map(body -> i + " " + body), 32)
            .collectList()
            .block(Duration.ofSeconds(60));

        assertThat(bodies).hasSize(400).allSatisfy(line -> {
            String i = line.substring(0, line.indexOf(' '));
            assertThat(line.substring(line.indexOf(' ') + 1)).isEqualTo("{\"message\":\"hello from extism\","
                    + "\"method\":\"GET\",\"path\":\"/hello/n\",\"query\":\"i=" + i + "\"}");
        });
    }

    @Test
    void eachCallIsAnObservationInTheRequestsObservation() {
        contentServesAWholeRouteWithoutAnUpstream();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(observed)
            .contains("wasm.filter module=content function=hello parent=http.server.requests"));
    }

    private void assertServedNormally() {
        EntityExchangeResult<String> result = gateway.client().get().uri("/echo/after")
            .exchange()
            .expectBody(String.class).returnResult();
        assertThat(result.getStatus().value()).isEqualTo(200);
        assertThat(result.getResponseBody()).contains("\"path\":\"/echo/after\"");
    }

    private static double traps(String function) {
        MeterRegistry meters = gateway.context().getBean(MeterRegistry.class);
        var counter = meters.find("wasm.traps").tag("module", "misbehaving").tag("callback", function).counter();
        return counter == null ? 0 : counter.count();
    }

    static final List<String> observed = new CopyOnWriteArrayList<>();

    @Configuration(proxyBeanMethods = false)
    static class Recorder {

        @Bean
        ObservationHandler<Observation.Context> extismObservations() {
            return new ObservationHandler<>() {
                @Override
                public void onStop(Observation.Context context) {
                    if (context.getName().equals("wasm.filter")) {
                        observed.add(context.getName() + " module=" + context.getLowCardinalityKeyValue("module")
                            .getValue() + " function=" + context.getLowCardinalityKeyValue("function").getValue()
                                + " parent=" + (context.getParentObservation() == null ? null
                                    : context.getParentObservation().getContextView().getName()));
                    }
                }

                @Override
                public boolean supportsContext(Observation.Context context) {
                    return true;
                }
            };
        }
    }

    /** Through the JDK's client, as ModuleReloadTest does: a POST with no body at all. */
    static HttpResponse<String> reload(String module) throws IOException {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:"
                    + gateway.port() + "/actuator/wasm/modules/" + module + "/reload"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(60))
                .build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IOException(ex);
        }
    }

    static byte[] filter(String name) throws IOException {
        try (InputStream in = ExtismPluginsTest.class.getResourceAsStream("/filters/" + name)) {
            return in.readAllBytes();
        }
    }
}
