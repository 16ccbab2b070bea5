package io.wasmgateway.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.dylibso.chicory.wabt.Wat2Wasm;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.wasmgateway.gateway.WasmModuleRegistry;
import io.wasmgateway.gateway.WasmModuleReloader;
import io.wasmgateway.it.support.Gateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reloading a module, through {@code POST /actuator/wasm/modules/{name}/reload} and when a watched file changes:
 * new requests use the new version, requests in flight finish on the old one, a version that fails to load is
 * reported and the old one keeps serving. The versions are the fixture version_filter.wat (response header
 * {@code x-filter-version: <n>}) and the real header_filter.wasm configured to set {@code x-filter-version: c}.
 */
class ModuleReloadTest {

    static final WireMockServer upstream = new WireMockServer(wireMockConfig().dynamicPort());

    @TempDir
    static Path files;

    static Path reloaded;

    static Path watched;

    static Gateway gateway;

    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final ListAppender<ILoggingEvent> reloaderLog = new ListAppender<>();

    @BeforeAll
    static void start() throws IOException {
        upstream.start();
        upstream.stubFor(any(anyUrl()).willReturn(aResponse().withBody("ok")));
        reloaded = Files.write(files.resolve("reloaded.wasm"), version("1"));
        watched = Files.write(files.resolve("watched.wasm"), version("1"));
        gateway = Gateway.start("reload", Map.of("upstream.port", upstream.port(),
                "reloaded.location", reloaded.toUri(), "watched.location", watched.toUri()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.stop();
    }

    @BeforeEach
    void baseline() throws IOException {
        upstream.resetRequests();
        Files.write(reloaded, version("1"));
        assertThat(reload("reloaded").statusCode()).isEqualTo(200);
        assertThat(versionOf("/reloaded/a")).isEqualTo("1");
        reloaderLog.start();
        ((Logger) LoggerFactory.getLogger(WasmModuleReloader.class)).addAppender(reloaderLog);
    }

    @AfterEach
    void detach() {
        ((Logger) LoggerFactory.getLogger(WasmModuleReloader.class)).detachAppender(reloaderLog);
    }

    @Test
    void reloadsUnderSteadyLoadWithoutAFailedRequest() throws Exception {
        int clients = 6;
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger requests = new AtomicInteger();
        List<String> failures = new CopyOnWriteArrayList<>();
        Set<String> seen = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> loops = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            loops.add(pool.submit(() -> {
                while (running.get()) {
                    try {
                        HttpResponse<String> response = send("/reloaded/load");
                        requests.incrementAndGet();
                        String version = response.headers().firstValue("x-filter-version").orElse(null);
                        if (response.statusCode() != 200 || !"ok".equals(response.body()) || version == null) {
                            failures.add(response.statusCode() + " " + version + " " + response.body());
                        }
                        else {
                            seen.add(version);
                        }
                    }
                    catch (IOException ex) {
                        failures.add(ex.toString());
                    }
                }
                return null;
            }));
        }
        try {
            // alternates between two different modules: the fixture in several versions and the C header filter
            List<String> versions = List.of("2", "c", "3", "c", "4");
            for (String next : versions) {
                Files.write(reloaded, next.equals("c") ? headerFilter() : version(next));
                int before = requests.get();
                HttpResponse<String> answer = reload("reloaded");
                assertThat(answer.statusCode()).isEqualTo(200);
                assertThat(answer.body()).contains("\"outcome\":\"reloaded\"");
                // the clients keep going through the reload, and new requests get the new version
                await().atMost(Duration.ofSeconds(20)).until(() -> requests.get() > before + clients * 5);
                assertThat(versionOf("/reloaded/after")).isEqualTo(next);
            }
        }
        finally {
            running.set(false);
            for (Future<?> loop : loops) {
                loop.get();
            }
            pool.shutdown();
        }
        assertThat(failures).isEmpty();
        assertThat(seen).contains("1", "2", "c", "3", "4");
        assertThat(versionOf("/reloaded/end")).isEqualTo("4");
    }

    @Test
    void aRequestInFlightFinishesOnTheVersionItStartedWith() throws Exception {
        upstream.stubFor(get(urlPathEqualTo("/reloaded/slow"))
            .willReturn(aResponse().withBody("ok").withFixedDelay(1500)));
        try {
            CompletableFuture<HttpResponse<String>> slow = http.sendAsync(request("/reloaded/slow"),
                    HttpResponse.BodyHandlers.ofString());
            // its request callbacks ran on version 1 before the upstream saw it
            await().atMost(Duration.ofSeconds(10))
                .until(() -> !upstream.findAll(getRequestedFor(urlPathEqualTo("/reloaded/slow"))).isEmpty());

            Files.write(reloaded, version("2"));
            assertThat(reload("reloaded").statusCode()).isEqualTo(200);
            assertThat(versionOf("/reloaded/new")).isEqualTo("2");

            HttpResponse<String> response = slow.get();
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("ok");
            // its response callback ran on the old module, which stayed open for it
            assertThat(response.headers().firstValue("x-filter-version")).hasValue("1");
        }
        finally {
            upstream.resetMappings();
            upstream.stubFor(any(anyUrl()).willReturn(aResponse().withBody("ok")));
        }
    }

    @Test
    void aVersionThatFailsToLoadIsReportedAndTheRunningOneStays() throws IOException {
        Files.write(reloaded, "not a wasm module".getBytes(StandardCharsets.UTF_8));

        HttpResponse<String> answer = reload("reloaded");

        assertThat(answer.statusCode()).isEqualTo(422);
        assertThat(answer.body()).contains("\"outcome\":\"failed\"", "Wasm module 'reloaded'",
                reloaded.toUri().toString());
        assertThat(versionOf("/reloaded/still")).isEqualTo("1");
        assertThat(actuator()).contains("\"reloaded\":{\"module\":\"reloaded\",\"outcome\":\"failed\"");
        assertThat(reloaderLog.list).anySatisfy(event -> {
            assertThat(event.getLevel()).isEqualTo(Level.ERROR);
            assertThat(event.getFormattedMessage()).startsWith("Reloading wasm module 'reloaded' failed; the "
                    + "running version (sha256 " + sha256(version("1")) + ") stays: ");
        });
    }

    @Test
    void aVersionWhosePluginRefusesItsConfigurationIsReportedAndTheRunningOneStays() throws IOException {
        Files.write(reloaded, filter("configure_fails"));

        HttpResponse<String> answer = reload("reloaded");

        assertThat(answer.statusCode()).isEqualTo(422);
        assertThat(answer.body()).contains("\"outcome\":\"failed\"", "on reload, plugin with root id ''",
                "proxy_on_configure returned false");
        assertThat(versionOf("/reloaded/still")).isEqualTo("1");
    }

    @Test
    void anUnknownModuleIsNotFound() throws IOException {
        assertThat(reload("nope").statusCode()).isEqualTo(404);
    }

    @Test
    void aWatchedModuleIsReloadedWhenItsFileChanges() throws IOException {
        assertThat(versionOf("/watched/a")).isEqualTo("1");

        Files.write(watched, version("2"));
        await().atMost(Duration.ofSeconds(20)).until(() -> "2".equals(versionOf("/watched/b")));

        Files.write(watched, "broken".getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(20))
            .until(() -> actuator().contains("\"watched\":{\"module\":\"watched\",\"outcome\":\"failed\""));
        assertThat(versionOf("/watched/c")).isEqualTo("2");

        Files.write(watched, version("1"));
        await().atMost(Duration.ofSeconds(20)).until(() -> "1".equals(versionOf("/watched/d")));
    }

    static byte[] version(String version) {
        try (InputStream in = ModuleReloadTest.class.getResourceAsStream("/fixtures/version_filter.wat")) {
            String wat = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\"VERSION\"",
                    "\"" + version + "\"");
            return Wat2Wasm.parse(wat);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    static byte[] headerFilter() {
        return filter("header_filter");
    }

    static byte[] filter(String name) {
        try (InputStream in = ModuleReloadTest.class.getResourceAsStream("/filters/" + name + ".wasm")) {
            return in.readAllBytes();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    static String sha256(byte[] bytes) {
        return WasmModuleRegistry.sha256(bytes);
    }

    static HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + gateway.port() + path))
            .timeout(Duration.ofSeconds(30))
            .build();
    }

    static HttpResponse<String> send(String path) throws IOException {
        try {
            return http.send(request(path), HttpResponse.BodyHandlers.ofString());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IOException(ex);
        }
    }

    static String versionOf(String path) throws IOException {
        HttpResponse<String> response = send(path);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ok");
        return response.headers().firstValue("x-filter-version").orElse(null);
    }

    static HttpResponse<String> reload(String module) throws IOException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + gateway.port()
                    + "/actuator/wasm/modules/" + module + "/reload"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(60))
                .build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IOException(ex);
        }
    }

    static String actuator() throws IOException {
        HttpResponse<String> response = send("/actuator/wasm");
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
