package io.wasmgateway.gateway;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.wasmgateway.gateway.extism.ExtismOptions;
import io.wasmgateway.host.Engine;
import io.wasmgateway.host.FailurePolicy;
import io.wasmgateway.host.Isolation;
import io.wasmgateway.host.shared.SharedData;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Configuration of wasm-gateway: the Proxy-Wasm modules that routes can use with {@code ProxyWasm=<module>}.
 *
 * <pre>
 * wasm:
 *   gateway:
 *     modules:
 *       headers:
 *         location: classpath:filters/header_filter.wasm
 * </pre>
 */
@ConfigurationProperties("wasm.gateway")
@Validated
public class WasmGatewayProperties {

    /** Whether wasm-gateway is active: its modules, the ProxyWasm filter and its global filter. Default true. */
    private boolean enabled = true;

    /**
     * The Proxy-Wasm modules, by name (the name routes use in {@code ProxyWasm=<name>}). Each takes
     * {@code location} (required), {@code sha256} (required for https), {@code watch}, {@code vm-config},
     * {@code root-id}, {@code environment.<KEY>}, {@code engine}, {@code instances}, {@code vm-id},
     * {@code max-buffered-body}, {@code callback-timeout}, {@code start-timeout}, {@code max-memory},
     * {@code failure-policy}, {@code required} and {@code config-schema}. Default: none.
     */
    private Map<String, @Valid Module> modules = new LinkedHashMap<>();

    /**
     * The upstreams filters call with proxy_http_call, by the name they pass (Envoy calls them clusters).
     * Default: none.
     */
    private Map<String, @Valid Cluster> clusters = new LinkedHashMap<>();

    /** The gateway-wide store behind proxy_get_shared_data / proxy_set_shared_data. */
    @Valid
    private final SharedDataStore sharedData = new SharedDataStore();

    /** The shared queues behind proxy_register_shared_queue and friends. */
    @Valid
    private final SharedQueueLimits sharedQueues = new SharedQueueLimits();

    /**
     * Where modules downloaded from https locations are kept, each in a file named by its SHA-256, so a restart
     * needs no download (and works while the server is down). Default: {@code ${java.io.tmpdir}/wasm-gateway-cache}.
     */
    private Path cacheDir = Path.of(System.getProperty("java.io.tmpdir"), "wasm-gateway-cache");

    /** How often the files of modules with {@code watch: true} are checked for changes. Default 1s. */
    private Duration watchInterval = Duration.ofSeconds(1);

    /** How modules are downloaded from https locations (at startup). */
    @Valid
    private final Download download = new Download();

    public Path getCacheDir() {
        return cacheDir;
    }

    public void setCacheDir(Path cacheDir) {
        this.cacheDir = cacheDir;
    }

    public Duration getWatchInterval() {
        return watchInterval;
    }

    public void setWatchInterval(Duration watchInterval) {
        this.watchInterval = watchInterval;
    }

    public Download getDownload() {
        return download;
    }

    public Map<String, Cluster> getClusters() {
        return clusters;
    }

    public void setClusters(Map<String, Cluster> clusters) {
        this.clusters = clusters;
    }

    public SharedDataStore getSharedData() {
        return sharedData;
    }

    public SharedQueueLimits getSharedQueues() {
        return sharedQueues;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Map<String, Module> getModules() {
        return modules;
    }

    public void setModules(Map<String, Module> modules) {
        this.modules = modules;
    }

    /** One Proxy-Wasm module. */
    public static class Module {

        /**
         * Where the module's binary is: a Spring resource location ({@code classpath:filters/x.wasm},
         * {@code file:/etc/gateway/x.wasm}) or an {@code https:} URL, downloaded at startup (then {@code sha256}
         * is required). Required.
         */
        private String location;

        /**
         * The module's expected SHA-256 (64 hex digits): the binary is refused when its hash differs. Required for
         * https locations, checked for every location when set (also on reload). Default: none.
         */
        private String sha256;

        /**
         * Whether the module is reloaded when its file changes (only for {@code file:} locations): new requests
         * use the new version, requests in flight finish on the old one; a version that fails to load is
         * reported and the old one keeps running. Default false.
         */
        private boolean watch;

        /** The VM configuration, passed to proxy_on_vm_start (buffer 6). Default: empty. */
        private String vmConfig = "";

        /**
         * The root id of this module's plugins (the plugin_root_id property), unless a route sets its own
         * {@code root-id}. Default: empty.
         */
        private String rootId = "";

        /**
         * The environment variables the module sees through WASI; it sees nothing else of the host's
         * environment. Default: none.
         */
        private Map<String, String> environment = new LinkedHashMap<>();

        /**
         * How the module runs: compiler (Chicory's runtime compiler, to JVM bytecode) or interpreter. Default
         * compiler.
         */
        private Engine engine = Engine.COMPILER;

        /**
         * The class Chicory's build-time compiler (chicory-compiler-maven-plugin, goal compile) generated from
         * this module's .wasm, e.g. com.example.FilterModule: its compiled code is used instead of compiling at
         * startup (engine is then ignored). The location must still point to the same .wasm; a class generated
         * from another module is refused. Default: none (compile at startup).
         */
        private String precompiled;

        /**
         * How many VM instances the module gets; each runs one callback at a time. 1 gives one VM that all
         * requests share, for filters that keep state in their root context. Default: one per Reactor Netty
         * event-loop thread (the system property reactor.netty.ioWorkerCount, else the number of processors
         * but at least 4).
         */
        @Positive
        private Integer instances;

        /**
         * The vm_id (the plugin_vm_id property, and the key shared queues are resolved by). Default: the
         * module's name.
         */
        private String vmId;

        /**
         * How much of a request or response body a filter of this module may hold (by pausing in its body
         * callback, or changing the body) at once. Past it a request gets 413 and a response 502. Bodies the
         * filter lets through chunk by chunk are not limited. Default 1MB, Envoy's default buffer limit.
         */
        private DataSize maxBufferedBody = DataSize.ofMegabytes(1);

        /**
         * The execution budget of one callback (a request's proxy_on_done, proxy_on_log and proxy_on_delete share
         * one), in CPU time of the thread running it: a callback that has used it up is interrupted, counts as a
         * trap, and its VM instance is replaced. Time in host functions counts; waiting for a core, a GC pause or
         * a pause for an outbound call does not. 0 disables the budget. Default 100ms: a thousand times what a
         * slow filter's callback takes, and a short stall for the event loop a runaway filter holds.
         */
        private Duration callbackTimeout = Duration.ofMillis(100);

        /**
         * The budget of each of a module's first 1000 callbacks, while its code is cold: HotSpot has not compiled
         * Chicory's classes for it yet, so a Go or Rust SDK filter's first requests cost 10 to 50 times its warm
         * ones, more on a busy machine. Never below {@code callback-timeout}. Default 1s: a well-behaved filter is
         * not interrupted at startup, and an endless loop is still stopped.
         */
        private Duration coldCallbackTimeout = Duration.ofSeconds(1);

        /**
         * The budget of an instance's start function (_initialize, main or _start), and of a root context's
         * proxy_on_context_create, proxy_on_vm_start and proxy_on_configure together: these run at startup and
         * when an instance is replaced, never on an event loop. 0 disables it. Default 10s.
         */
        private Duration startTimeout = Duration.ofSeconds(10);

        /**
         * The most linear memory one VM instance may have, as a size ({@code 16MB}; rounded down to whole 64 KiB
         * wasm pages, at most 1GB). A memory.grow beyond it fails (returns -1 to the guest); a module that asks
         * for more initial memory does not load. Each instance holds its memory on the JVM heap, so the heap must
         * hold instances times this. Default 128MB.
         */
        private DataSize maxMemory = DataSize.ofMegabytes(128);

        /**
         * After how many requests (HTTP contexts) a VM instance is recycled: a fresh instance, with every plugin's
         * root context configured, is made off the event loops and takes new requests, while the requests in
         * flight finish on the old one, which is then finished (its root contexts' proxy_on_done) and released.
         * Bounds what a leaking filter can accumulate. 0 never recycles. Default 0.
         */
        private long recycleAfterRequests;

        /**
         * At how much linear memory ({@code 64MB}) a VM instance is recycled, gracefully as with
         * {@code recycle-after-requests}: checked as each request opens on it. Linear memory never shrinks, so this
         * catches a filter whose memory keeps growing (TinyGo and Go SDK filters). Default none (never).
         */
        private DataSize recycleAtMemory;

        /**
         * What a failing filter (a trap, a callback past its budget, a module that could not load) means for a
         * request: {@code fail-closed} (answer 503 {@code wasm filter failed}), {@code fail-open} (skip this
         * filter; the request goes on) or {@code fail-reload} (answer 503, and keep retrying to replace the VM
         * instance, with a pause from 100 ms doubling up to 30 s, while it keeps failing). Under every policy a
         * failed VM instance is replaced by a fresh one. Default fail-closed.
         */
        private FailurePolicy failurePolicy = FailurePolicy.FAIL_CLOSED;

        /**
         * Which requests share a VM instance: {@code none} (the requests of an event loop share its long-lived
         * instance; root-context state lasts as long as the instance, and a trap fails the requests whose
         * contexts already ran on it) or {@code stream} (every request gets a fresh instance, its root contexts
         * configured, from a pool of {@code instances} pre-started ones refilled on a thread of the module's own,
         * and discarded after the request: a trap fails only its own request, root-context state never outlives
         * a request, and each request costs an instance's creation off the event loop; a request that finds the
         * pool empty waits, without blocking a thread, for the next one). Default none.
         */
        private Isolation isolation = Isolation.NONE;

        /**
         * Whether a module that cannot be loaded or configured stops the startup. When false, the gateway starts
         * anyway, the module is reported as failed in {@code /actuator/wasm} and health, and its routes answer
         * according to {@code failure-policy}. Default true.
         */
        private boolean required = true;

        /**
         * What the module is: {@code proxy-wasm} (a Proxy-Wasm filter, for {@code ProxyWasm=<name>}) or
         * {@code extism} (an Extism plugin, for {@code WasmRewrite=<name>, <function>} and
         * {@code WasmContent=<name>, <function>}). Default proxy-wasm.
         */
        private ModuleKind kind = ModuleKind.PROXY_WASM;

        /** The Extism manifest options of a module with {@code kind: extism}. */
        @NestedConfigurationProperty
        private final ExtismOptions extism = new ExtismOptions();

        public ModuleKind getKind() {
            return kind;
        }

        public void setKind(ModuleKind kind) {
            this.kind = kind;
        }

        public ExtismOptions getExtism() {
            return extism;
        }

        /**
         * A JSON Schema (a Spring resource location; JSON, or YAML for .yaml/.yml) every route's plugin
         * configuration of this module must match: checked when routes load and on every reload (with the schema
         * read again), before any VM sees the configuration. A route whose configuration does not match stops the
         * startup, or fails the reload, naming the route, the module and the JSON pointer of the bad value.
         * Default: none (any configuration).
         */
        private String configSchema;

        public String getConfigSchema() {
            return configSchema;
        }

        public void setConfigSchema(String configSchema) {
            this.configSchema = configSchema;
        }

        public Duration getCallbackTimeout() {
            return callbackTimeout;
        }

        public void setCallbackTimeout(Duration callbackTimeout) {
            this.callbackTimeout = callbackTimeout;
        }

        public Duration getColdCallbackTimeout() {
            return coldCallbackTimeout;
        }

        public void setColdCallbackTimeout(Duration coldCallbackTimeout) {
            this.coldCallbackTimeout = coldCallbackTimeout;
        }

        public Duration getStartTimeout() {
            return startTimeout;
        }

        public void setStartTimeout(Duration startTimeout) {
            this.startTimeout = startTimeout;
        }

        public DataSize getMaxMemory() {
            return maxMemory;
        }

        public void setMaxMemory(DataSize maxMemory) {
            this.maxMemory = maxMemory;
        }

        public long getRecycleAfterRequests() {
            return recycleAfterRequests;
        }

        public void setRecycleAfterRequests(long recycleAfterRequests) {
            this.recycleAfterRequests = recycleAfterRequests;
        }

        public DataSize getRecycleAtMemory() {
            return recycleAtMemory;
        }

        public void setRecycleAtMemory(DataSize recycleAtMemory) {
            this.recycleAtMemory = recycleAtMemory;
        }

        public FailurePolicy getFailurePolicy() {
            return failurePolicy;
        }

        public void setFailurePolicy(FailurePolicy failurePolicy) {
            this.failurePolicy = failurePolicy;
        }

        public Isolation getIsolation() {
            return isolation;
        }

        public void setIsolation(Isolation isolation) {
            this.isolation = isolation;
        }

        public boolean isRequired() {
            return required;
        }

        public void setRequired(boolean required) {
            this.required = required;
        }


        public String getLocation() {
            return location;
        }

        public void setLocation(String location) {
            this.location = location;
        }

        public String getSha256() {
            return sha256;
        }

        public void setSha256(String sha256) {
            this.sha256 = sha256;
        }

        public boolean isWatch() {
            return watch;
        }

        public void setWatch(boolean watch) {
            this.watch = watch;
        }

        public String getVmConfig() {
            return vmConfig;
        }

        public void setVmConfig(String vmConfig) {
            this.vmConfig = vmConfig;
        }

        public String getRootId() {
            return rootId;
        }

        public void setRootId(String rootId) {
            this.rootId = rootId;
        }

        public Map<String, String> getEnvironment() {
            return environment;
        }

        public void setEnvironment(Map<String, String> environment) {
            this.environment = environment;
        }

        public Engine getEngine() {
            return engine;
        }

        public void setEngine(Engine engine) {
            this.engine = engine;
        }

        public String getPrecompiled() {
            return precompiled;
        }

        public void setPrecompiled(String precompiled) {
            this.precompiled = precompiled;
        }

        public Integer getInstances() {
            return instances;
        }

        public void setInstances(Integer instances) {
            this.instances = instances;
        }

        public String getVmId() {
            return vmId;
        }

        public void setVmId(String vmId) {
            this.vmId = vmId;
        }

        public DataSize getMaxBufferedBody() {
            return maxBufferedBody;
        }

        public void setMaxBufferedBody(DataSize maxBufferedBody) {
            this.maxBufferedBody = maxBufferedBody;
        }
    }

    /** An upstream for outbound calls. */
    public static class Cluster {

        /**
         * Where calls go: scheme, host and port. {@code http} or {@code https} (e.g. http://auth:8080) for
         * proxy_http_call; {@code grpc} (plaintext HTTP/2) or {@code grpcs} (TLS) for proxy_grpc_call and
         * proxy_grpc_stream (e.g. grpc://limitador:8081). Required.
         */
        @NotNull
        private URI uri;

        /** How long to wait for a connection. Default 2s. */
        private Duration connectTimeout = Duration.ofSeconds(2);

        /**
         * The longest a call may take, response body included; a filter's own timeout applies when smaller. For
         * a gRPC cluster: the deadline of unary calls (streams have none). Default 10s.
         */
        private Duration responseTimeout = Duration.ofSeconds(10);

        /**
         * How many connections to the cluster may be open at once; further calls wait for one (within their
         * timeout). Default 500.
         */
        @Positive
        private int maxConnections = 500;

        /**
         * The largest response body accepted; a larger one fails the call. For a gRPC cluster: the largest message,
         * either way (RESOURCE_EXHAUSTED). Default 1MB.
         */
        private DataSize maxResponseBytes = DataSize.ofMegabytes(1);

        /**
         * For https and grpcs: a PEM bundle of the certificates to trust (a Spring resource location), instead of the
         * JVM's trust store. Certificates and host names are always verified. Default: the JVM's trust store.
         */
        private String trustBundle;

        /**
         * For https: the name of a Spring Boot SSL bundle ({@code spring.ssl.bundle.*}) whose trust store (and key
         * store, for a client certificate) the calls use. Host names are always verified. Default: none (the
         * JVM's trust store, or trust-bundle).
         */
        private String sslBundle;

        public String getSslBundle() {
            return sslBundle;
        }

        public void setSslBundle(String sslBundle) {
            this.sslBundle = sslBundle;
        }

        public URI getUri() {
            return uri;
        }

        public void setUri(URI uri) {
            this.uri = uri;
        }

        public Duration getConnectTimeout() {
            return connectTimeout;
        }

        public void setConnectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
        }

        public Duration getResponseTimeout() {
            return responseTimeout;
        }

        public void setResponseTimeout(Duration responseTimeout) {
            this.responseTimeout = responseTimeout;
        }

        public int getMaxConnections() {
            return maxConnections;
        }

        public void setMaxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
        }

        public DataSize getMaxResponseBytes() {
            return maxResponseBytes;
        }

        public void setMaxResponseBytes(DataSize maxResponseBytes) {
            this.maxResponseBytes = maxResponseBytes;
        }

        public String getTrustBundle() {
            return trustBundle;
        }

        public void setTrustBundle(String trustBundle) {
            this.trustBundle = trustBundle;
        }
    }

    /** Downloads of modules from https locations. */
    public static class Download {

        /**
         * A PEM bundle of the certificates to trust (a Spring resource location), instead of the JVM's trust
         * store. Certificates and host names are always verified. Default: the JVM's trust store.
         */
        private String trustBundle;

        /** How long one download may take, connecting included. Default 30s. */
        private Duration timeout = Duration.ofSeconds(30);

        /** The largest module accepted; a larger download fails the startup. Default 64MB. */
        private DataSize maxBytes = DataSize.ofMegabytes(64);

        /**
         * The name of a Spring Boot SSL bundle ({@code spring.ssl.bundle.*}) whose trust store (and key store, for
         * a client certificate) downloads use. Host names are always verified. Default: none (the JVM's trust
         * store, or trust-bundle).
         */
        private String sslBundle;

        public String getSslBundle() {
            return sslBundle;
        }

        public void setSslBundle(String sslBundle) {
            this.sslBundle = sslBundle;
        }

        public String getTrustBundle() {
            return trustBundle;
        }

        public void setTrustBundle(String trustBundle) {
            this.trustBundle = trustBundle;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        public DataSize getMaxBytes() {
            return maxBytes;
        }

        public void setMaxBytes(DataSize maxBytes) {
            this.maxBytes = maxBytes;
        }
    }

    /** Limits of the shared-data store, like ngx_wasm_module's shm_kv. */
    public static class SharedDataStore {

        /** How many keys the store holds at most. Default 10000. */
        @Positive
        private int maxEntries = 10_000;

        /** How many bytes (keys and values) the store holds at most. Default 16MB. */
        private DataSize maxBytes = DataSize.ofMegabytes(16);

        /**
         * What a set that does not fit does: {@code lru} evicts the least recently used entries, {@code none}
         * fails the set (the filter gets an error status) and keeps everything stored. Default lru.
         */
        private SharedData.Eviction eviction = SharedData.Eviction.LRU;

        public int getMaxEntries() {
            return maxEntries;
        }

        public void setMaxEntries(int maxEntries) {
            this.maxEntries = maxEntries;
        }

        public DataSize getMaxBytes() {
            return maxBytes;
        }

        public void setMaxBytes(DataSize maxBytes) {
            this.maxBytes = maxBytes;
        }

        public SharedData.Eviction getEviction() {
            return eviction;
        }

        public void setEviction(SharedData.Eviction eviction) {
            this.eviction = eviction;
        }
    }

    /** Limits of the shared queues. */
    public static class SharedQueueLimits {

        /** How many queues may exist. Default 1000. */
        @Positive
        private int maxQueues = 1000;

        /** How many messages one queue holds; an enqueue beyond fails with an error status. Default 10000. */
        @Positive
        private int maxDepth = 10_000;

        /** How many bytes one queue holds. Default 16MB. */
        private DataSize maxBytes = DataSize.ofMegabytes(16);

        public int getMaxQueues() {
            return maxQueues;
        }

        public void setMaxQueues(int maxQueues) {
            this.maxQueues = maxQueues;
        }

        public int getMaxDepth() {
            return maxDepth;
        }

        public void setMaxDepth(int maxDepth) {
            this.maxDepth = maxDepth;
        }

        public DataSize getMaxBytes() {
            return maxBytes;
        }

        public void setMaxBytes(DataSize maxBytes) {
            this.maxBytes = maxBytes;
        }
    }
}
