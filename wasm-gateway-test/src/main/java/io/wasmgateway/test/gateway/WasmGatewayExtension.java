package io.wasmgateway.test.gateway;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

/**
 * JUnit 5: a real gateway (Spring Cloud Gateway on WebFlux with the wasm-gateway starter) on a random port, in
 * front of a WireMock upstream on another random port, for end-to-end tests of a module.
 *
 * <pre>
 * &#64;RegisterExtension
 * static WasmGatewayExtension gateway = WasmGatewayExtension.builder()
 *     .module("headers", Path.of("target/header_filter.wasm"))
 *     .route("/hello/**", "headers", "request add x-hello: world")
 *     .build();
 *
 * &#64;Test
 * void addsTheHeader() {
 *     GatewayExchange exchange = gateway.request("GET", "/hello/x").send();
 *     assertThat(exchange.status()).isEqualTo(200);
 *     assertThat(exchange.upstreamRequest().header("x-hello")).isEqualTo("world");
 * }
 * </pre>
 *
 * Routes come from the builder ({@link Builder#route}) or from a YAML file ({@link Builder#configuration}), whose
 * routes reach the upstream as {@code http://localhost:${upstream.port}} (or {@code ${upstream.uri}}). The
 * gateway starts before the first test of the class that registers it (once, also for its {@code @Nested}
 * classes) and stops after the last; before each test the upstream forgets its requests and stubs and answers
 * every request with the builder's {@link Builder#upstreamResponse} (200, empty body, by default); a test adds
 * its own stubs on {@link #upstream()}. Register it on a static field; an instance field starts a gateway per
 * test.
 */
public final class WasmGatewayExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private static final String ROUTES = "spring.cloud.gateway.server.webflux.routes";

    private final Builder settings;

    private WireMockServer upstream;

    private ConfigurableApplicationContext context;

    private HttpClient httpClient;

    /** The unique id of the test context that started the gateway: only its end stops it. */
    private String startedBy;

    private WasmGatewayExtension(Builder settings) {
        this.settings = settings;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A ProxyWasm filter on a route: {@code module} with {@code config} (may be empty). */
    public static RouteFilter filter(String module, String config) {
        return new RouteFilter(module, config, null);
    }

    @Override
    public void beforeAll(ExtensionContext extension) {
        start(extension);
    }

    @Override
    public void beforeEach(ExtensionContext extension) {
        start(extension);
        upstream.resetAll();
        upstream.stubFor(any(anyUrl()).atPriority(1000).willReturn(settings.upstreamResponse));
    }

    @Override
    public void afterEach(ExtensionContext extension) {
        stop(extension);
    }

    @Override
    public void afterAll(ExtensionContext extension) {
        stop(extension);
    }

    private void start(ExtensionContext extension) {
        if (context != null) {
            return;
        }
        upstream = new WireMockServer(wireMockConfig().dynamicPort().gzipDisabled(true));
        upstream.start();
        try {
            context = new SpringApplicationBuilder(WasmGatewayTestApplication.class)
                .sources(settings.configurations.toArray(Class<?>[]::new))
                .web(WebApplicationType.REACTIVE)
                .run(arguments());
        }
        catch (RuntimeException ex) {
            upstream.stop();
            upstream = null;
            throw ex;
        }
        httpClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
        startedBy = extension.getUniqueId();
    }

    private String[] arguments() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("server.port", 0);
        properties.put("spring.main.banner-mode", "off");
        properties.put("upstream.port", upstream.port());
        properties.put("upstream.uri", "http://localhost:" + upstream.port());
        if (settings.configuration != null) {
            properties.put("spring.config.location", settings.configuration);
        }
        settings.modules.forEach((name, location) -> properties.put("wasm.gateway.modules." + name + ".location",
                location));
        for (int i = 0; i < settings.routes.size(); i++) {
            Route route = settings.routes.get(i);
            String prefix = ROUTES + "[" + i + "].";
            properties.put(prefix + "id", route.id);
            properties.put(prefix + "uri", "http://localhost:" + upstream.port());
            properties.put(prefix + "predicates[0]", "Path=" + route.path);
            for (int j = 0; j < route.filters.size(); j++) {
                RouteFilter filter = route.filters.get(j);
                String filterPrefix = prefix + "filters[" + j + "].";
                properties.put(filterPrefix + "name", "ProxyWasm");
                properties.put(filterPrefix + "args.module", filter.module);
                properties.put(filterPrefix + "args.config", filter.config);
                if (filter.rootId != null) {
                    properties.put(filterPrefix + "args.root-id", filter.rootId);
                }
            }
        }
        properties.putAll(settings.properties);
        List<String> arguments = new ArrayList<>();
        properties.forEach((name, value) -> arguments.add("--" + name + "=" + value));
        return arguments.toArray(String[]::new);
    }

    private void stop(ExtensionContext extension) {
        if (context == null || !extension.getUniqueId().equals(startedBy)) {
            return;
        }
        try {
            context.close();
        }
        finally {
            context = null;
            httpClient = null;
            upstream.stop();
        }
    }

    /** Starts a request to the gateway, e.g. {@code request("GET", "/hello?x=1")}. */
    public GatewayRequest request(String method, String pathAndQuery) {
        return new GatewayRequest(this, method, pathAndQuery);
    }

    /** A WebTestClient for the gateway, for tests written in Spring's style. Read every body. */
    public WebTestClient client() {
        // no compression: a gzip body the test does not read would leave the decoder's buffers unreleased
        return WebTestClient.bindToServer(new ReactorClientHttpConnector(reactor.netty.http.client.HttpClient.create()))
            .baseUrl(baseUrl())
            .responseTimeout(Duration.ofSeconds(30))
            .build();
    }

    /** The one request the upstream received in this test (since the last {@link #request} sent); fails otherwise. */
    public UpstreamRequest upstreamRequest() {
        List<UpstreamRequest> requests = received();
        if (requests.size() != 1) {
            throw new AssertionError(
                    "expected the upstream to receive one request, it received " + requests.size() + ": " + requests);
        }
        return requests.get(0);
    }

    /** Every request the upstream received in this test (since the last {@link #request} sent). */
    public List<UpstreamRequest> received() {
        return upstream().findAll(anyRequestedFor(anyUrl())).stream().map(UpstreamRequest::new).toList();
    }

    /** The WireMock upstream: add stubs for a test, or verify what it received. */
    public WireMockServer upstream() {
        requireStarted();
        return upstream;
    }

    /** The gateway's port. */
    public int port() {
        requireStarted();
        return Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
    }

    /** {@code http://localhost:<port>}. */
    public String baseUrl() {
        return "http://localhost:" + port();
    }

    /** The gateway's application context (its beans: the module registry, the meters, ...). */
    public ConfigurableApplicationContext context() {
        requireStarted();
        return context;
    }

    HttpClient httpClient() {
        requireStarted();
        return httpClient;
    }

    private void requireStarted() {
        if (context == null) {
            throw new IllegalStateException("the gateway runs only during the tests of the class registering it");
        }
    }

    /** What the gateway runs: modules, routes, properties, the upstream's default answer. */
    public static final class Builder {

        private final Map<String, String> modules = new LinkedHashMap<>();

        private final List<Route> routes = new ArrayList<>();

        private final Map<String, Object> properties = new LinkedHashMap<>();

        private final List<Class<?>> configurations = new ArrayList<>();

        private String configuration;

        private ResponseDefinitionBuilder upstreamResponse = aResponse().withStatus(200);

        private Builder() {
        }

        /** A module from a file ({@code .wasm}, or {@code .wat} with {@code com.dylibso.chicory:wabt}). */
        public Builder module(String name, Path file) {
            return module(name, file.toAbsolutePath().toUri().toString());
        }

        /** A module from a location as {@code wasm.gateway.modules.<name>.location} takes it, e.g. {@code classpath:...}. */
        public Builder module(String name, String location) {
            modules.put(name, location);
            return this;
        }

        /** A route to the upstream for requests whose path matches {@code path} (e.g. /c/**), with one filter. */
        public Builder route(String path, String module, String config) {
            return route(path, filter(module, config));
        }

        /** A route with several filters: request callbacks run in this order, response callbacks in reverse. */
        public Builder route(String path, RouteFilter... filters) {
            routes.add(new Route("route-" + (routes.size() + 1), path, List.of(filters)));
            return this;
        }

        /**
         * A YAML (or properties) file that replaces {@code application.yml}, e.g. {@code classpath:gateways/x.yml}:
         * for what the builder does not offer (a YAML map as configuration, other filters, metadata, ...). Its
         * routes point at {@code http://localhost:${upstream.port}}. Builder routes replace the file's. Without
         * it, the test class path's own {@code application.yml}, if any, applies as in any Boot application.
         */
        public Builder configuration(String location) {
            this.configuration = location;
            return this;
        }

        /** Any property, e.g. {@code wasm.gateway.modules.headers.instances}; it wins over the file. */
        public Builder property(String name, Object value) {
            properties.put(name, value);
            return this;
        }

        /** More configuration classes for the gateway (beans, Java routes, foreign functions). */
        public Builder configurations(Class<?>... classes) {
            configurations.addAll(List.of(classes));
            return this;
        }

        /** What the upstream answers to any request a test did not stub. Default: 200 with an empty body. */
        public Builder upstreamResponse(ResponseDefinitionBuilder response) {
            this.upstreamResponse = response;
            return this;
        }

        public WasmGatewayExtension build() {
            return new WasmGatewayExtension(this);
        }
    }

    /** A ProxyWasm filter on a route; see {@link WasmGatewayExtension#filter}. */
    public static final class RouteFilter {

        private final String module;

        private final String config;

        private final String rootId;

        private RouteFilter(String module, String config, String rootId) {
            this.module = module;
            this.config = config;
            this.rootId = rootId;
        }

        /** The plugin's root id on this route. */
        public RouteFilter rootId(String rootId) {
            return new RouteFilter(module, config, rootId);
        }
    }

    private record Route(String id, String path, List<RouteFilter> filters) {
    }
}
