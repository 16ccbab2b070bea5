package io.wasmgateway.it;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.wasmgateway.host.ForeignFunction;
import io.wasmgateway.it.support.Gateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * proxy_call_foreign_function: a filter calls the application's {@link ForeignFunction} beans and the built-ins
 * by name; an unknown name answers NOT_FOUND (1), bad input to {@code uncompress} SERIALIZATION_FAILURE (3).
 * The fixture foreign_filter.wat reports the status and result as request headers the upstream receives.
 */
class ForeignFunctionsTest {

    static final WireMockServer upstream = new WireMockServer(wireMockConfig().dynamicPort());

    static Gateway gateway;

    @BeforeAll
    static void start() {
        upstream.start();
        gateway = Gateway.start("foreign", Map.of("upstream.port", upstream.port()), Greeting.class);
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.stop();
    }

    @BeforeEach
    void reset() {
        upstream.resetAll();
        upstream.stubFor(any(anyUrl()).willReturn(aResponse().withBody("ok")));
    }

    @Test
    void aFilterCallsAnApplicationBeanByName() {
        call("/foreign/greet", "greet", "wasm");

        upstream.verify(getRequestedFor(urlPathEqualTo("/foreign/greet"))
            .withHeader("x-foreign-status", equalTo("0"))
            .withHeader("x-foreign-result", equalTo("hello wasm from the application")));
    }

    @Test
    void anUnknownNameAnswersNotFound() {
        call("/foreign/unknown", "no_such_function", "x");

        upstream.verify(getRequestedFor(urlPathEqualTo("/foreign/unknown"))
            .withHeader("x-foreign-status", equalTo("1"))
            .withHeader("x-foreign-result", absent()));
    }

    @Test
    void uncompressRefusesDataThatIsNotZlib() {
        call("/foreign/uncompress", "uncompress", "not zlib at all");

        upstream.verify(getRequestedFor(urlPathEqualTo("/foreign/uncompress"))
            .withHeader("x-foreign-status", equalTo("3")));
    }

    @Test
    void theActuatorListsTheFunctions() {
        gateway.client().get().uri("/actuator/wasm").exchange().expectStatus().isOk().expectBody()
            .jsonPath("$.foreignFunctions").isEqualTo(java.util.List.of("compress", "get_log_level", "greet",
                    "uncompress"));
    }

    private static void call(String path, String function, String arguments) {
        gateway.client().get().uri(path).header("x-function", function).header("x-args", arguments).exchange()
            .expectStatus().isOk()
            .expectBody(String.class).isEqualTo("ok");
    }

    @Configuration(proxyBeanMethods = false)
    static class Greeting {

        @Bean
        ForeignFunction greet() {
            return new ForeignFunction() {

                @Override
                public String name() {
                    return "greet";
                }

                @Override
                public byte[] call(ForeignCall call) {
                    return ("hello " + new String(call.arguments(), StandardCharsets.UTF_8) + " from the application")
                        .getBytes(StandardCharsets.UTF_8);
                }
            };
        }
    }
}
