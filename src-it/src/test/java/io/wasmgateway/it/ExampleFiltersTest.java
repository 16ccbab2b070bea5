package io.wasmgateway.it;

import java.net.URI;
import java.time.Duration;

import io.wasmgateway.it.support.Fixtures;
import io.wasmgateway.test.gateway.UpstreamRequest;
import io.wasmgateway.test.gateway.WasmGatewayExtension;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/** The example filters on a real gateway (gateways/filters.yml) in front of a WireMock upstream, by the test kit. */
class ExampleFiltersTest {

    // one upstream and one gateway for all nested classes
    @RegisterExtension
    static final WasmGatewayExtension gateway = WasmGatewayExtension.builder()
        .configuration("classpath:gateways/filters.yml")
        .property("set-property.location", Fixtures.compiled("set_property_filter"))
        .property("trap.location", Fixtures.compiled("trap_filter"))
        .property("pause.location", Fixtures.compiled("pause_filter"))
        .property("closed.port", Fixtures.closedPort())
        .upstreamResponse(aResponse().withStatus(200)
            .withHeader("content-type", "text/plain")
            .withHeader("server", "wiremock")
            .withHeader("x-upstream-secret", "s3cr3t")
            .withBody("upstream body"))
        .build();

    static WebTestClient client() {
        return gateway.client();
    }

    /** The one request the upstream received. */
    static UpstreamRequest received() {
        return gateway.upstreamRequest();
    }

    @Nested
    class CHeaderFilter {

        @Test
        void addsSetsAndRemovesRequestHeadersBeforeTheUpstream() {
            client().get().uri("/c/hello?x=1").header("x-replace", "old").header("x-secret", "hidden").exchange()
                .expectStatus().isOk()
                .expectBody().returnResult();

            UpstreamRequest request = received();
            assertThat(request.url()).isEqualTo("/c/hello?x=1");
            assertThat(request.header("x-wasm-c")).isEqualTo("yes");
            assertThat(request.headerValues("x-replace")).containsExactly("new");
            assertThat(request.hasHeader("x-secret")).isFalse();
        }

        @Test
        void addsSetsAndRemovesResponseHeadersBeforeTheClient() {
            client().get().uri("/c/hello").exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("x-resp-add", "1")
                .expectHeader().valueEquals("server", "wasm-gateway")
                .expectHeader().doesNotExist("x-upstream-secret")
                .expectBody(String.class).isEqualTo("upstream body");
        }

        @Test
        void passesRequestBodiesThroughUnchanged() {
            client().post().uri("/c/upload").header("content-type", "application/octet-stream")
                .bodyValue(new byte[] {0, 1, 2, (byte) 0xff})
                .exchange()
                .expectStatus().isOk()
                .expectBody().returnResult();

            UpstreamRequest request = received();
            assertThat(request.bodyBytes()).containsExactly(0, 1, 2, 0xff);
            assertThat(request.header("x-wasm-c")).isEqualTo("yes");
        }

        @Test
        void takesEverythingAfterTheFirstCommaOfTheShortcutAsConfiguration() {
            client().get().uri("/commas/x").exchange()
                .expectStatus().isOk()
                // the gateway trims around commas; they are joined back with ", "
                .expectHeader().valueEquals("x-resp-list", "c, d")
                .expectBody().returnResult();

            assertThat(received().header("x-list")).isEqualTo("a, b");
        }
    }

    @Nested
    class AssemblyScriptFilter {

        @Test
        void seesTheRouteRootIdAndTheYamlMapConfigurationAsJson() {
            client().get().uri("/as/hello").exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("x-wasm-as-response", "yes")
                .expectBody().returnResult();

            UpstreamRequest request = received();
            assertThat(request.header("x-wasm-as")).isEqualTo("as_route_root");
            assertThat(request.header("x-wasm-as-config")).isEqualTo(
                    "{\"greeting\":\"hello, world\",\"tags\":[\"a\",\"b\"],\"limits\":{\"max\":10,\"strict\":true}}");
        }

        @Test
        void seesTheModuleRootIdAndJsonWithCommasFromTheShortcut() {
            client().get().uri("/as-json/hello").exchange().expectStatus().isOk()
                .expectBody().returnResult();

            UpstreamRequest request = received();
            assertThat(request.header("x-wasm-as")).isEqualTo("as_default_root");
            assertThat(request.header("x-wasm-as-config")).isEqualTo("{\"a\": 1, \"b\": [2, 3]}");
        }
    }

    @Nested
    class Abi010Filter {

        @Test
        void runsWithTheLegacyAbiOnBothSides() {
            client().get().uri("/abi010/x").exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("x-abi", "0.1.0")
                .expectBody().returnResult();

            UpstreamRequest request = received();
            assertThat(request.header("x-abi")).isEqualTo("0.1.0");
            // 0.1.0: a missing header is an empty OK
            assertThat(request.header("x-absent-status")).isEqualTo("0");
            assertThat(request.header("x-absent-size")).isEqualTo("0");
        }
    }

    @Nested
    class DenyFilter {

        @Test
        void answersLocallyWithoutCallingTheUpstream() {
            EntityExchangeResult<byte[]> result = client().get().uri("/deny/admin/users").exchange()
                .expectStatus().isForbidden()
                .expectHeader().valueEquals("x-denied-by", "deny_filter")
                .expectHeader().contentLength(15)
                .expectHeader().contentType("text/plain")
                .expectBody().returnResult();

            assertThat(new String(result.getResponseBody())).isEqualTo("denied by wasm\n");
            assertThat(gateway.received()).isEmpty();
        }

        @Test
        void answersAHeadRequestWithoutABody() {
            client().head().uri("/deny/admin").exchange()
                .expectStatus().isForbidden()
                .expectHeader().contentLength(15)
                .expectBody().isEmpty();
        }

        @Test
        void runsTheResponseCallbacksOfEarlierFiltersOnItsLocalResponse() {
            client().get().uri("/deny/x").header("x-deny", "").exchange()
                .expectStatus().isForbidden()
                .expectHeader().valueEquals("x-seen-by-c", "yes")
                .expectBody().returnResult();

            assertThat(gateway.received()).isEmpty();
        }

        @Test
        void dropsTheConnectionHeaderItCopiedIntoItsLocalResponse() {
            EntityExchangeResult<byte[]> result = client().get().uri("/deny/x").header("x-deny-via-connection", "1")
                .exchange()
                .expectStatus().isForbidden()
                .expectHeader().doesNotExist(HttpHeaders.CONNECTION)
                .expectHeader().valueEquals("x-denied-by", "deny_filter")
                .expectBody().returnResult();

            assertThat(new String(result.getResponseBody())).isEqualTo("denied by wasm\n");
        }

        @Test
        void letsOtherRequestsThrough() {
            client().get().uri("/deny/public").exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("x-seen-by-c", "yes")
                .expectBody(String.class).isEqualTo("upstream body");
        }

        @Test
        void replacesAnUpstreamErrorInTheResponsePhase() {
            gateway.upstream().stubFor(get(urlPathEqualTo("/deny/broken")).willReturn(aResponse().withStatus(500)
                .withHeader("x-upstream-detail", "stack trace")
                .withBody("a long upstream error body that must not reach the client")));

            EntityExchangeResult<byte[]> result = client().get().uri("/deny/broken").exchange()
                .expectStatus().isEqualTo(502)
                .expectHeader().valueEquals("x-replaced-by", "deny_filter")
                .expectHeader().doesNotExist("x-upstream-detail")
                .expectHeader().contentLength(16)
                .expectBody().returnResult();

            assertThat(new String(result.getResponseBody())).isEqualTo("upstream failed\n");
        }
    }

    @Nested
    class TwoFiltersOnOneRoute {

        @Test
        void runRequestCallbacksInDeclarationOrderAndResponseCallbacksInReverse() {
            client().get().uri("/chain/x").exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("x-order", "first")
                .expectHeader().values("x-trace", values -> assertThat(values).containsExactly("second", "first"))
                .expectBody().returnResult();

            UpstreamRequest request = received();
            assertThat(request.header("x-order")).isEqualTo("second");
            assertThat(request.headerValues("x-trace")).containsExactly("first", "second");
        }

        @Test
        void shareWhatOneSetsAsAPropertyWithTheNext() {
            client().get().uri("/set-property/x").exchange().expectStatus().isOk()
                .expectBody().returnResult();

            UpstreamRequest request = received();
            assertThat(request.header("x-set-property-status")).isEqualTo("0");
            assertThat(request.header("x-set-by-first")).isEqualTo("set-by-first-filter");
        }
    }

    @Nested
    class Properties {

        @Test
        void describeTheRequestAsEnvoyDoes() {
            long before = System.currentTimeMillis();
            client().get().uri(URI.create("http://localhost:" + gateway.port() + "/props/a%20b?q=1&r=2"))
                .header("user-agent", "it-agent")
                .header("referer", "http://example.test/")
                .header("x-request-id", "req-42")
                .exchange()
                .expectStatus().isOk()
                .expectBody().returnResult();

            UpstreamRequest request = received();
            assertThat(request.header("x-p-path")).isEqualTo("/props/a%20b?q=1&r=2");
            assertThat(request.header("x-p-url-path")).isEqualTo("/props/a%20b");
            assertThat(request.header("x-p-query")).isEqualTo("q=1&r=2");
            assertThat(request.header("x-p-method")).isEqualTo("GET");
            assertThat(request.header("x-p-host")).isEqualTo("localhost:" + gateway.port());
            assertThat(request.header("x-p-scheme")).isEqualTo("http");
            assertThat(request.header("x-p-protocol")).isEqualTo("HTTP/1.1");
            assertThat(request.header("x-p-id")).isEqualTo("req-42");
            assertThat(request.header("x-p-useragent")).isEqualTo("it-agent");
            assertThat(request.header("x-p-referer")).isEqualTo("http://example.test/");
            assertThat(request.header("x-p-route")).isEqualTo("props");
            assertThat(request.header("x-p-gateway-route")).isEqualTo("props");
            assertThat(request.header("x-p-gateway-uri")).isEqualTo("http://localhost:" + gateway.upstream().port());
            assertThat(request.header("x-p-root-id")).isEqualTo("props_root");
            assertThat(request.header("x-p-vm-id")).isEqualTo("headers-props");
            assertThat(request.header("x-p-source")).matches("127\\.0\\.0\\.1:\\d+");
            assertThat(request.header("x-p-source")).endsWith(":" + request.header("x-p-source-port"));
            assertThat(request.header("x-p-destination")).isEqualTo("127.0.0.1:" + gateway.port());
            assertThat(request.header("x-p-destination-port")).isEqualTo(Integer.toString(gateway.port()));
            assertThat(Long.parseLong(request.header("x-p-connection"))).isPositive();
            long timeMillis = Long.parseLong(request.header("x-p-time")) / 1_000_000;
            assertThat(timeMillis).isBetween(before - 1000, System.currentTimeMillis());
            assertThat(request.header("x-p-matched-path")).isEqualTo("/props/**");
            assertThat(request.hasHeader("x-p-unknown")).isFalse();
        }

        @Test
        void numberConnectionsNotRequests() {
            ConnectionProvider oneConnection = ConnectionProvider.create("one-connection", 1);
            try {
                HttpClient sameConnection = HttpClient.create(oneConnection);
                String first = connectionId(sameConnection);
                String second = connectionId(sameConnection);
                String third = connectionId(HttpClient.newConnection());

                assertThat(second).isEqualTo(first);
                assertThat(third).isNotEqualTo(first);
            }
            finally {
                oneConnection.dispose();
            }
        }

        private String connectionId(HttpClient client) {
            gateway.upstream().resetRequests();
            client.get().uri("http://localhost:" + gateway.port() + "/props/c").responseContent().aggregate()
                .asString().block(Duration.ofSeconds(10));
            return received().header("x-p-connection");
        }

        @Test
        void describeTheResponseInTheResponsePhase() {
            client().get().uri("/props/x").exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("x-p-code", "200")
                .expectHeader().valueEquals("x-p-request-url", "http://localhost:" + gateway.upstream().port() + "/props/x")
                .expectBody().returnResult();
        }
    }


    @Nested
    class GatewayErrorResponses {

        @Test
        void goThroughTheResponseCallbacksToo() {
            client().get().uri("/down/x").exchange()
                .expectStatus().is5xxServerError()
                .expectHeader().valueEquals("x-seen-by-c", "yes")
                .expectBody().returnResult();
        }
    }

    @Nested
    class PausingFilter {

        @Test
        void holdsTheRequestUntilTheFilterContinuesIt() {
            client().get().uri("/pause/x").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).isEqualTo("upstream body");

            assertThat(received().header("x-resumed-by")).isEqualTo("tick");
        }
    }

    @Nested
    class FailingFilter {

        @Test
        void answers503WithoutCallingTheUpstreamWhenItsRequestCallbackTraps() {
            EntityExchangeResult<byte[]> result = client().get().uri("/trap-request/x").exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().contentLength(19)
                .expectBody().returnResult();

            assertThat(new String(result.getResponseBody())).isEqualTo("wasm filter failed\n");
            assertThat(gateway.received()).isEmpty();
        }

        @Test
        void replacesTheUpstreamResponseWith503WhenItsResponseCallbackTraps() {
            EntityExchangeResult<byte[]> result = client().get().uri("/trap-response/x").exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().doesNotExist("x-upstream-secret")
                .expectBody().returnResult();

            assertThat(new String(result.getResponseBody())).isEqualTo("wasm filter failed\n");
            assertThat(received().url()).isEqualTo("/trap-response/x");
        }
    }

    @Nested
    class Actuator {

        @Test
        void showsModuleAndRootIdOfEachFilterInTheGatewayRoutes() {
            client().get().uri("/actuator/gateway/routes").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$[?(@.route_id == 'as-map')].filters[0]")
                .isEqualTo("[[ProxyWasm module = 'as', rootId = 'as_route_root'], order = 1]")
                .jsonPath("$[?(@.route_id == 'c-headers')].filters[0]")
                .isEqualTo("[[ProxyWasm module = 'headers', rootId = ''], order = 1]")
                .jsonPath("$[?(@.route_id == 'as-json')].filters[0]")
                .isEqualTo("[[ProxyWasm module = 'as', rootId = 'as_default_root'], order = 1]");
        }
    }
}
