package io.wasmgateway.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.wasmgateway.gateway.WasmModuleLoadException;
import io.wasmgateway.gateway.schema.PluginConfigurationException;
import io.wasmgateway.it.support.Gateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@code config-schema}: every route's plugin configuration is checked against the module's JSON Schema at
 * startup and again on reload (with the schema read again), before any VM sees it. The route's configuration
 * is {@code {"limit": <route.limit>, "mode": "strict"}}.
 */
@ExtendWith(OutputCaptureExtension.class)
class PluginConfigSchemaTest {

    static final String SCHEMA = """
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "type": "object",
              "properties": {
                "limit": { "type": "integer", "minimum": 1, "maximum": MAX },
                "mode": { "enum": ["strict", "lenient"] }
              },
              "required": ["limit"],
              "additionalProperties": false
            }
            """;

    static final WireMockServer upstream = new WireMockServer(wireMockConfig().dynamicPort());

    @TempDir
    static Path files;

    static Path module;

    static Path schema;

    @BeforeAll
    static void start() throws IOException {
        upstream.start();
        upstream.stubFor(any(anyUrl()).willReturn(aResponse().withBody("ok")));
        module = Files.writeString(files.resolve("limited.wat"), WatModuleTest.version("1"));
        schema = Files.writeString(files.resolve("limited.schema.json"), SCHEMA.replace("MAX", "10"));
    }

    @AfterAll
    static void stop() {
        upstream.stop();
    }

    @Test
    void aConfigurationTheSchemaRefusesStopsTheStartupNamingRouteModuleAndPointer(CapturedOutput output) {
        Throwable failure = catchThrowable(() -> Gateway.run("schema", properties("many")));

        PluginConfigurationException cause = cause(failure, PluginConfigurationException.class);
        assertThat(cause.module()).isEqualTo("limited");
        assertThat(cause.routeId()).isEqualTo("limited-route");
        assertThat(cause.pointer()).isEqualTo("/limit");
        assertThat(cause.getMessage()).isEqualTo("Wasm module 'limited' (" + module.toUri() + ") cannot be used: the "
                + "configuration of route 'limited-route' does not match its config-schema " + schema.toUri()
                + ": /limit: string found, integer expected");
        assertThat(output).contains("APPLICATION FAILED TO START", cause.getMessage(), "Action:",
                "Fix the ProxyWasm configuration of route 'limited-route' at /limit");
    }

    @Test
    void aSchemaThatIsNoJsonSchemaStopsTheStartup() throws IOException {
        Path broken = Files.writeString(files.resolve("broken.schema.json"), "{\"type\": \"integr\"}");
        Map<String, Object> properties = new java.util.HashMap<>(properties("5"));
        properties.put("schema.location", broken.toUri());

        Throwable failure = catchThrowable(() -> Gateway.run("schema", properties));

        WasmModuleLoadException cause = cause(failure, WasmModuleLoadException.class);
        assertThat(cause.module()).isEqualTo("limited");
        assertThat(cause.getMessage()).contains("its config-schema " + broken.toUri() + " is not a usable JSON Schema",
                "/type");
    }

    @Test
    void aReloadWhoseSchemaRefusesARouteIsRefusedAndTheOldPluginKeepsServing() throws IOException {
        try (Gateway gateway = Gateway.start("schema", properties("5"))) {
            assertThat(versionOf(gateway, "/limited/a")).isEqualTo("1");

            // a new version of the module, with a schema that no longer admits the route's limit of 5
            Files.writeString(module, WatModuleTest.version("2"));
            Files.writeString(schema, SCHEMA.replace("MAX", "3"));
            String refused = reload(gateway, 422);
            assertThat(refused).contains("\"outcome\":\"failed\"", "route 'limited-route'", "/limit: must have a "
                    + "maximum value of 3");
            assertThat(versionOf(gateway, "/limited/b")).isEqualTo("1");

            Files.writeString(schema, SCHEMA.replace("MAX", "10"));
            assertThat(reload(gateway, 200)).contains("\"outcome\":\"reloaded\"");
            assertThat(versionOf(gateway, "/limited/c")).isEqualTo("2");
        }
        finally {
            Files.writeString(module, WatModuleTest.version("1"));
            Files.writeString(schema, SCHEMA.replace("MAX", "10"));
        }
    }

    static Map<String, Object> properties(String limit) {
        return Map.of("upstream.port", upstream.port(), "wat.location", module.toUri(), "schema.location",
                schema.toUri(), "route.limit", limit);
    }

    static String versionOf(Gateway gateway, String path) {
        return gateway.client().get().uri(path).exchange().expectStatus().isOk().expectBody(String.class)
            .isEqualTo("ok").returnResult().getResponseHeaders().getFirst("x-filter-version");
    }

    static String reload(Gateway gateway, int status) {
        return gateway.client().post().uri("/actuator/wasm/modules/limited/reload").exchange()
            .expectStatus().isEqualTo(status).expectBody(String.class).returnResult().getResponseBody();
    }

    private static <T extends Throwable> T cause(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        throw new AssertionError("no " + type.getSimpleName(), failure);
    }
}
