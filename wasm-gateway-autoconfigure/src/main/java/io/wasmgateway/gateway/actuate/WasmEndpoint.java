package io.wasmgateway.gateway.actuate;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.wasmgateway.gateway.WasmModuleRegistry;
import io.wasmgateway.gateway.WasmModuleReloader;
import io.wasmgateway.gateway.calls.grpc.GrpcJavaCallDispatcher;
import io.wasmgateway.gateway.filter.ProxyWasmPlugins;
import io.wasmgateway.host.FailurePolicy;
import io.wasmgateway.host.ForeignFunctions;
import io.wasmgateway.host.HostServices;
import io.wasmgateway.host.InstanceStats;
import io.wasmgateway.host.Isolation;
import io.wasmgateway.host.shared.SharedData;
import io.wasmgateway.host.shared.SharedQueues;
import io.wasmgateway.host.shared.SharedStatus;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * {@code /actuator/wasm}: the modules and the routes' plugins; {@code /actuator/wasm/shared-data} (keys, by
 * prefix, paged) and {@code /actuator/wasm/shared-data/{key}} (a value and its cas); {@code /actuator/wasm/queues}.
 * Writes (put or delete a key, drain a queue, {@code POST /actuator/wasm/modules/{name}/reload}) follow
 * Actuator's access model: read-only unless {@code management.endpoint.wasm.access=unrestricted}.
 */
@Endpoint(id = "wasm", defaultAccess = Access.READ_ONLY)
public class WasmEndpoint {

    private static final String SHARED_DATA = "shared-data";

    private static final String QUEUES = "queues";

    private static final String MODULES = "modules";

    private static final String RELOAD = "reload";

    private static final int DEFAULT_PAGE = 100;

    private final WasmModuleRegistry registry;

    private final ProxyWasmPlugins plugins;

    private final SharedData sharedData;

    private final SharedQueues sharedQueues;

    private final @Nullable MeterRegistry meters;

    private final WasmModuleReloader reloader;

    private final HostServices services;
    private final ForeignFunctions foreignFunctions;

    public WasmEndpoint(WasmModuleRegistry registry, ProxyWasmPlugins plugins, HostServices services,
            @Nullable MeterRegistry meters, WasmModuleReloader reloader) {
        this.registry = registry;
        this.reloader = reloader;
        this.meters = meters;
        this.plugins = plugins;
        this.sharedData = services.sharedData();
        this.sharedQueues = services.sharedQueues();
        this.services = services;
        this.foreignFunctions = services.foreignFunctions();
    }

    @ReadOperation
    public WasmReport wasm() {
        Map<String, Map<String, Object>> grpcClusters = services.grpcCalls() instanceof GrpcJavaCallDispatcher grpc
                ? grpc.describe() : Map.of();
        return new WasmReport(registry.facts(), instances(), failedModules(), plugins.uses(), reloader.lastReloads(),
                meters != null ? callbackStats() : null, foreignFunctions.names(), grpcClusters);
    }

    /** Per module that is not required and could not be used: why, and its failure policy. */
    private Map<String, FailedModuleReport> failedModules() {
        Map<String, FailedModuleReport> failed = new TreeMap<>();
        registry.failures().forEach((name, failure) -> failed.put(name, new FailedModuleReport(failure.reason(),
                policy(failure.failurePolicy()))));
        return failed;
    }

    /** Per loaded module: its VM instances, how many are broken, how many were replaced, its failure policy. */
    private Map<String, InstancesReport> instances() {
        Map<String, InstancesReport> instances = new LinkedHashMap<>();
        for (String name : registry.names()) {
            registry.find(name).ifPresent(module -> instances.put(name, new InstancesReport(module.instanceCount(),
                    module.brokenInstanceCount(), module.replacedInstanceCount(), module.recycledInstanceCount(),
                    policy(module.failurePolicy()), module.lastTrap(), module.rootContextCount(),
                    module.instanceStats(), module.isolation().name().toLowerCase(Locale.ROOT),
                    module.isolation() == Isolation.STREAM ? new RequestInstancesReport(module.pooledInstanceCount(),
                            module.leasedInstanceCount(), module.requestInstancesMade(), module.poolWaits(),
                            module.requestInstanceTraps()) : null)));
        }
        return instances;
    }

    /** Per module and callback: count, mean and max milliseconds, traps (from wasm.callback.duration). */
    private Map<String, Map<String, CallbackStats>> callbackStats() {
        Map<String, Map<String, CallbackStats>> stats = new TreeMap<>();
        for (Timer timer : meters.find("wasm.callback.duration").timers()) {
            String module = timer.getId().getTag("module");
            String callback = timer.getId().getTag("callback");
            Counter traps = meters.find("wasm.traps").tags("module", module, "callback", callback).counter();
            stats.computeIfAbsent(module, m -> new TreeMap<>()).put(callback, new CallbackStats(timer.count(),
                    timer.mean(TimeUnit.MILLISECONDS), timer.max(TimeUnit.MILLISECONDS),
                    traps == null ? 0 : (long) traps.count()));
        }
        return stats;
    }

    private static String policy(FailurePolicy policy) {
        return policy.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** {@code shared-data} (with {@code prefix}, {@code offset}, {@code limit}) or {@code queues}. */
    @ReadOperation
    public WebEndpointResponse<Object> section(@Selector String section, @Nullable String prefix,
            @Nullable Integer offset, @Nullable Integer limit) {
        if (SHARED_DATA.equals(section)) {
            SharedData.KeyPage page = sharedData.keys(prefix == null ? "" : prefix, offset == null ? 0 : offset,
                    limit == null ? DEFAULT_PAGE : limit);
            return new WebEndpointResponse<>(new SharedDataPage(page.keys(), page.total(), sharedData.stats()));
        }
        if (QUEUES.equals(section)) {
            List<SharedQueues.QueueInfo> queues = sharedQueues.list();
            return new WebEndpointResponse<>(new QueuesReport(queues));
        }
        return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
    }

    /** One key's value (text when it is UTF-8, base64 otherwise) and cas. */
    @ReadOperation
    public WebEndpointResponse<Object> entry(@Selector String section, @Selector String key) {
        SharedData.Value value = SHARED_DATA.equals(section) ? sharedData.peek(key) : null;
        if (value == null) {
            return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
        }
        String text = utf8(value.value());
        return new WebEndpointResponse<>(new SharedDataEntry(key, text != null ? "text" : "base64",
                text != null ? text : Base64.getEncoder().encodeToString(value.value()),
                Integer.toUnsignedLong(value.cas())));
    }

    /**
     * Puts a key ({@code value} as text; with {@code cas}, only if it is still the key's cas), or drains a queue
     * ({@code queues/{id}} with no value).
     */
    @WriteOperation
    public WebEndpointResponse<Object> write(@Selector String section, @Selector String key, @Nullable String value,
            @Nullable Long cas) {
        if (QUEUES.equals(section)) {
            return drain(key);
        }
        if (!SHARED_DATA.equals(section) || value == null) {
            return new WebEndpointResponse<>(WebEndpointResponse.STATUS_BAD_REQUEST);
        }
        SharedStatus status = sharedData.set(key, value.getBytes(StandardCharsets.UTF_8),
                cas == null ? 0 : cas.intValue());
        return answer(status);
    }

    /**
     * {@code POST /actuator/wasm/modules/{name}/reload}: loads the module again from its location. 200 with the
     * new version's sha256 when it serves new requests; 422 with the reason when it failed to load (the running
     * version stays); 404 for an unknown module.
     */
    @WriteOperation
    public WebEndpointResponse<Object> reload(@Selector String section, @Selector String name,
            @Selector String action) {
        if (!MODULES.equals(section) || !RELOAD.equals(action) || !reloader.knows(name)) {
            return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
        }
        WasmModuleReloader.Reload reload = reloader.reload(name, false);
        return new WebEndpointResponse<>(reload, reload.failed() ? 422 : WebEndpointResponse.STATUS_OK);
    }

    @DeleteOperation
    public WebEndpointResponse<Object> delete(@Selector String section, @Selector String key) {
        if (!SHARED_DATA.equals(section)) {
            return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
        }
        return answer(sharedData.delete(key));
    }

    private WebEndpointResponse<Object> drain(String id) {
        try {
            var drained = sharedQueues.drain(Integer.parseInt(id));
            if (drained.isEmpty()) {
                return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
            }
            return new WebEndpointResponse<>(new QueueDrained(Integer.parseInt(id), drained.getAsInt()));
        }
        catch (NumberFormatException ex) {
            return new WebEndpointResponse<>(WebEndpointResponse.STATUS_BAD_REQUEST);
        }
    }

    private static WebEndpointResponse<Object> answer(SharedStatus status) {
        return switch (status) {
            case OK -> new WebEndpointResponse<>(new WriteStatus("ok"));
            case NOT_FOUND -> new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
            case CAS_MISMATCH -> new WebEndpointResponse<>(new WriteStatus("cas_mismatch"), 409);
            default -> new WebEndpointResponse<>(new WriteStatus(status.name().toLowerCase(Locale.ROOT)), 507);
        };
    }

    /** The bytes as UTF-8 text when they are valid UTF-8 without control characters (but tab and newlines). */
    private static String utf8(byte[] bytes) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
            return text.chars().allMatch(c -> c >= 0x20 || c == '\t' || c == '\n' || c == '\r') ? text : null;
        }
        catch (CharacterCodingException ex) {
            return null;
        }
    }

    /**
     * {@code /actuator/wasm}.
     *
     * @param callbacks per module and callback; null (left out) without a meter registry
     * @param foreignFunctions the names filters can call with proxy_call_foreign_function
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WasmReport(List<WasmModuleRegistry.ModuleFacts> modules, Map<String, InstancesReport> instances,
            Map<String, FailedModuleReport> failedModules, List<ProxyWasmPlugins.PluginUse> plugins,
            Map<String, WasmModuleReloader.Reload> reloads, @Nullable Map<String, Map<String, CallbackStats>> callbacks,
            List<String> foreignFunctions, Map<String, Map<String, Object>> grpcClusters) {
    }

    /**
     * A module's VM instances; {@code replaced}: broken ones replaced, {@code recycled}: healthy ones replaced
     * after their request count or memory; {@code lastTrap}: the callback, the reason and the guest stack of the
     * last trap that broke one, or null; {@code rootContexts}: the root contexts on its current instances
     * (plugins times instances; a plugin no route uses any more is released); {@code each}: per instance,
     * requests served since it started, requests open and linear memory bytes.
     */
    public record InstancesReport(int count, int broken, long replaced, long recycled, String failurePolicy,
            @Nullable String lastTrap, int rootContexts, List<InstanceStats> each, String isolation,
            @Nullable RequestInstancesReport requestInstances) {
    }

    /**
     * Isolation stream: instances {@code pooled} ready, {@code leased} to requests in flight, {@code made} since
     * load, requests that {@code waited} for the refill, request instances that {@code trapped} (each failing
     * only its own request).
     */
    public record RequestInstancesReport(int pooled, int leased, long made, long waited, long trapped) {
    }

    /** A module that is not required and could not be used. */
    public record FailedModuleReport(String reason, String failurePolicy) {
    }

    /** One callback of one module, from the {@code wasm.callback.duration} timer and {@code wasm.traps}. */
    public record CallbackStats(long count, double meanMillis, double maxMillis, long traps) {
    }

    /** {@code /actuator/wasm/shared-data}: one page of keys. */
    public record SharedDataPage(List<String> keys, int total, SharedData.Stats stats) {
    }

    /** {@code /actuator/wasm/queues}. */
    public record QueuesReport(List<SharedQueues.QueueInfo> queues) {
    }

    /** {@code /actuator/wasm/shared-data/{key}}: the value as text, or base64 when it is not UTF-8 text. */
    public record SharedDataEntry(String key, String encoding, String value, long cas) {
    }

    /** The answer to a put or delete. */
    public record WriteStatus(String status) {
    }

    /** The answer to a queue drain. */
    public record QueueDrained(int queue, int drained) {
    }
}
