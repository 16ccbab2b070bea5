package io.wasmgateway.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.wasmgateway.gateway.WasmModuleLoadException;
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
import static org.awaitility.Awaitility.await;

/**
 * Modules whose location ends in {@code .wat} are compiled from the text format when they load, when they are
 * reloaded and when their watched file changes; text that does not compile is refused with the line it fails at.
 * The module is the fixture version_filter.wat (response header {@code x-filter-version: <n>}).
 */
@ExtendWith(OutputCaptureExtension.class)
class WatModuleTest {

    static final WireMockServer upstream = new WireMockServer(wireMockConfig().dynamicPort());

    @TempDir
    static Path files;

    static Path text;

    static Gateway gateway;

    @BeforeAll
    static void start() throws IOException {
        upstream.start();
        upstream.stubFor(any(anyUrl()).willReturn(aResponse().withBody("ok")));
        text = Files.writeString(files.resolve("version.wat"), version("1"));
        gateway = Gateway.start("wat", Map.of("upstream.port", upstream.port(), "wat.location", text.toUri()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.stop();
    }

    @Test
    void aTextModuleServesARoute() {
        assertThat(versionOf("/text/a")).matches("[1-3]"); // the other tests write versions 2 and 3
        gateway.client().get().uri("/fixture/a").exchange().expectStatus().isOk().expectBody(String.class)
            .isEqualTo("ok");
    }

    @Test
    void aTextModuleIsCompiledAgainOnReloadAndWhenItsFileChanges() throws IOException {
        Files.writeString(text, version("2"));
        await().atMost(Duration.ofSeconds(20)).until(() -> "2".equals(versionOf("/text/watched")));

        Files.writeString(text, version("3"));
        String answer = reload("text", 200);
        assertThat(answer).contains("\"outcome\":\"reloaded\"");
        assertThat(versionOf("/text/reloaded")).isEqualTo("3");
    }

    @Test
    void textThatDoesNotCompileIsRefusedOnReloadWithItsLineAndTheRunningVersionStays() throws IOException {
        String running = versionOf("/text/before");
        Files.writeString(text, version(running).replace("(drop (call", "(drop (cal"));
        try {
            String answer = reload("text", 422);
            assertThat(answer).contains("\"outcome\":\"failed\"", "version.wat:" + callLine() + ":",
                    "error: unexpected token");
            assertThat(versionOf("/text/still")).isEqualTo(running);
        }
        finally {
            Files.writeString(text, version(running));
        }
    }

    @Test
    void textThatDoesNotCompileStopsTheStartupWithItsLine(CapturedOutput output) throws IOException {
        Path broken = Files.writeString(files.resolve("broken.wat"), version("1").replace("(drop (call",
                "(drop (cal"));
        Throwable failure = catchThrowable(() -> Gateway.run("wat", Map.of("upstream.port", upstream.port(),
                "wat.location", broken.toUri())));

        WasmModuleLoadException cause = cause(failure);
        assertThat(cause.module()).isEqualTo("text");
        assertThat(cause.getMessage()).contains("'text'", broken.toUri().toString(), "broken.wat:" + callLine() + ":",
                "unexpected token");
        assertThat(output).contains("APPLICATION FAILED TO START", "broken.wat:" + callLine() + ":", "Action:",
                "Fix the module's text at the line shown");
    }

    private static WasmModuleLoadException cause(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof WasmModuleLoadException load) {
                return load;
            }
        }
        throw new AssertionError("no WasmModuleLoadException", failure);
    }

    /** The line of the fixture with the call the broken versions misspell. */
    private static int callLine() {
        String[] lines = version("1").split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains("(drop (call")) {
                return i + 1;
            }
        }
        throw new AssertionError("the fixture has no call");
    }

    static String version(String version) {
        try (InputStream in = WatModuleTest.class.getResourceAsStream("/fixtures/version_filter.wat")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\"VERSION\"",
                    "\"" + version + "\"");
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    static String versionOf(String path) {
        return gateway.client().get().uri(path).exchange().expectStatus().isOk().expectBody(String.class)
            .isEqualTo("ok").returnResult().getResponseHeaders().getFirst("x-filter-version");
    }

    static String reload(String module, int status) {
        return gateway.client().post().uri("/actuator/wasm/modules/" + module + "/reload").exchange()
            .expectStatus().isEqualTo(status).expectBody(String.class).returnResult().getResponseBody();
    }
}
