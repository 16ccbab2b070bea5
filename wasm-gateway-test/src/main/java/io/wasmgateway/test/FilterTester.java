package io.wasmgateway.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.wasmgateway.host.CallbackObserver;
import io.wasmgateway.host.Engine;
import io.wasmgateway.host.ForeignFunction;
import io.wasmgateway.host.ForeignFunctions;
import io.wasmgateway.host.HostServices;
import io.wasmgateway.host.ModuleLimits;
import io.wasmgateway.host.ModuleSpec;
import io.wasmgateway.host.Plugin;
import io.wasmgateway.host.ProxyWasmModule;
import io.wasmgateway.host.shared.SharedData;
import io.wasmgateway.host.shared.SharedQueues;
import io.wasmgateway.host.wat.WatCompiler;

/**
 * Tests a Proxy-Wasm filter on the host alone, without Spring or a network: any {@code .wasm} (or {@code .wat}),
 * whatever language built it, on the same host the gateway runs. Configure it, drive requests through it
 * ({@link #request}), and look at what it did: header changes both ways, body changes, local responses, pauses,
 * logs by level ({@link #logs()}), metrics ({@link #metrics()}), shared data and queues, outbound calls answered
 * by stubs ({@link #upstreams()}); ticks run when the test advances the clock ({@link #advance}).
 *
 * <pre>
 * try (FilterTester filter = FilterTester.builder(Path.of("target/filter.wasm"))
 *         .configuration("{\"header\": \"x-hello\"}")
 *         .build()) {
 *     TestExchange exchange = filter.request("GET", "/hello").header("accept", "text/plain").send();
 *     assertThat(exchange.continued()).isTrue();
 *     assertThat(exchange.requestHeader("x-hello")).isEqualTo("world");
 * }
 * </pre>
 *
 * One VM instance, driven on the test's thread; not for concurrent use.
 */
public final class FilterTester implements AutoCloseable {

    private final ProxyWasmModule module;

    private final Plugin plugin;

    private final TestClock clock;

    private final StubUpstreams upstreams;

    private final RecordingMetrics metrics;

    private final SharedData sharedData;

    private final SharedQueues sharedQueues;

    private final ModuleLogs logs;

    private FilterTester(Builder builder) {
        this.clock = new TestClock();
        this.upstreams = builder.upstreams;
        this.metrics = new RecordingMetrics();
        this.sharedData = new SharedData(10_000, 16L * 1024 * 1024, SharedData.Eviction.LRU);
        this.sharedQueues = new SharedQueues(1_000, 10_000, 16L * 1024 * 1024);
        this.logs = new ModuleLogs(builder.name);
        HostServices services = new HostServices(upstreams, sharedData, sharedQueues, metrics, clock,
                CallbackObserver.NONE).withForeignFunctions(ForeignFunctions.withBuiltIns(builder.foreignFunctions.values()));
        ModuleSpec spec = new ModuleSpec(builder.name, builder.location, builder.bytes, builder.engine,
                builder.name, builder.vmConfiguration.getBytes(StandardCharsets.UTF_8), builder.environment, 1,
                builder.limits);
        ProxyWasmModule loaded = null;
        try {
            loaded = ProxyWasmModule.load(spec, services);
            this.plugin = loaded.createPlugin(builder.rootId, builder.configuration.getBytes(StandardCharsets.UTF_8));
            this.module = loaded;
            clock.runDue();
        }
        catch (RuntimeException ex) {
            if (loaded != null) {
                loaded.close();
            }
            logs.close();
            throw ex;
        }
    }

    /** A tester for the module in this file ({@code .wasm}, or {@code .wat} compiled first). */
    public static Builder builder(Path file) {
        try {
            return new Builder(file.toString(), Files.readAllBytes(file));
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot read " + file, ex);
        }
    }

    /** A tester for the module at a class path resource, e.g. {@code filters/header_filter.wasm}. */
    public static Builder builderForResource(String resource) {
        String name = resource.startsWith("/") ? resource.substring(1) : resource;
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no class path resource " + name);
            }
            return new Builder("classpath:" + name, in.readAllBytes());
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot read " + name, ex);
        }
    }

    /** A tester for a module given as bytes (binary or, when {@code location} ends in .wat, text). */
    public static Builder builder(String location, byte[] bytes) {
        return new Builder(location, bytes);
    }

    /** Starts a request: {@code :method}, {@code :path}, {@code :authority} (example.test), {@code :scheme}. */
    public TestRequest request(String method, String path) {
        return new TestRequest(this, method, path);
    }

    Plugin plugin() {
        return plugin;
    }

    /** Moves the test clock: ticks (proxy_set_tick_period_milliseconds) due meanwhile run now, in order. */
    public FilterTester advance(Duration duration) {
        clock.advance(duration);
        return this;
    }

    public TestClock clock() {
        return clock;
    }

    /** What the module logged, by level. */
    public ModuleLogs logs() {
        return logs;
    }

    public RecordingMetrics metrics() {
        return metrics;
    }

    /** The shared data the filter reads and writes (proxy_get_shared_data / proxy_set_shared_data). */
    public SharedData sharedData() {
        return sharedData;
    }

    public SharedQueues sharedQueues() {
        return sharedQueues;
    }

    /** The stubbed upstreams and the calls made to them. */
    public StubUpstreams upstreams() {
        return upstreams;
    }

    public ProxyWasmModule module() {
        return module;
    }

    void settle() {
        clock.runDue();
    }

    @Override
    public void close() {
        try {
            module.close();
        }
        finally {
            logs.close();
            clock.shutdown();
        }
    }

    /** How to load and configure the module. */
    public static final class Builder {

        private final String location;

        private final byte[] bytes;

        private String name = "filter";

        private String rootId = "";

        private String configuration = "";

        private String vmConfiguration = "";

        private Engine engine = Engine.INTERPRETER;

        private ModuleLimits limits = new ModuleLimits(Duration.ofSeconds(10), Duration.ofSeconds(30),
                ModuleLimits.DEFAULTS.maxMemoryPages(), ModuleLimits.DEFAULTS.failurePolicy());

        private final Map<String, String> environment = new LinkedHashMap<>();

        private final Map<String, ForeignFunction> foreignFunctions = new LinkedHashMap<>();

        private final StubUpstreams upstreams = new StubUpstreams();

        private Builder(String location, byte[] bytes) {
            this.location = location;
            this.bytes = WatCompiler.isWat(location)
                    ? WatCompiler.compile(location.substring(location.replace('\\', '/').lastIndexOf('/') + 1), bytes)
                    : bytes;
        }

        /** The module's name: its logger is {@code wasm.<name>}, its vm id and plugin_name the same. */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** The plugin's root id (plugin_root_id). Default: empty. */
        public Builder rootId(String rootId) {
            this.rootId = rootId;
            return this;
        }

        /** The plugin configuration (buffer 7), read in proxy_on_configure. */
        public Builder configuration(String configuration) {
            this.configuration = configuration;
            return this;
        }

        /** The VM configuration (buffer 6), read in proxy_on_vm_start. */
        public Builder vmConfiguration(String vmConfiguration) {
            this.vmConfiguration = vmConfiguration;
            return this;
        }

        /** An environment variable the module sees through WASI. */
        public Builder environment(String name, String value) {
            environment.put(name, value);
            return this;
        }

        /**
         * Compiler or interpreter. Default: the interpreter (no compile time; the same behaviour), so that small
         * tests start fast; use the compiler for a large (Go) module's many requests.
         */
        public Builder engine(Engine engine) {
            this.engine = engine;
            return this;
        }

        /** Execution budgets, memory limit, failure policy. Default: generous budgets (10 s a callback). */
        public Builder limits(ModuleLimits limits) {
            this.limits = limits;
            return this;
        }

        /** Answers the filter's proxy_http_call to {@code upstream}; see {@link TestResponses}. */
        public Builder stub(String upstream, java.util.function.Function<io.wasmgateway.host.HttpCallRequest,
                io.wasmgateway.host.HttpCallResponse> answer) {
            upstreams.stub(upstream, answer);
            return this;
        }

        /** A foreign function the filter may call (the built-ins compress, uncompress, get_log_level are there). */
        public Builder foreignFunction(ForeignFunction function) {
            foreignFunctions.put(function.name(), function);
            return this;
        }

        /** Loads the module, starts its VM and creates the plugin (proxy_on_vm_start, proxy_on_configure). */
        public FilterTester build() {
            return new FilterTester(this);
        }
    }
}
