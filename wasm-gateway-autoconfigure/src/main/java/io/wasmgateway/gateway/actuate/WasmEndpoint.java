package io.wasmgateway.gateway.actuate;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.wasmgateway.gateway.WasmModuleRegistry;
import io.wasmgateway.gateway.WasmModuleReloader;
import io.wasmgateway.gateway.calls.grpc.GrpcJavaCallDispatcher;
import io.wasmgateway.gateway.filter.ProxyWasmPlugins;
import io.wasmgateway.host.HostServices;
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

    public WasmEndpoint(WasmModuleRegistry registry, ProxyWasmPlugins plugins, HostServices services,
            @Nullable MeterRegistry meters, WasmModuleReloader reloader) {
        this.registry = registry;
        this.reloader = reloader;
        this.meters = meters;
        this.plugins = plugins;
        this.sharedData = services.sharedData();
        this.sharedQueues = services.sharedQueues();
        this.services = services;
    }

    @ReadOperation
    public Map<String, Object> wasm() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("modules", registry.facts());
        body.put("instances", instances());
        body.put("failedModules", failedModules());
        body.put("plugins", plugins.uses());
        body.put("reloads", reloader.lastReloads());
        if (services.grpcCalls() instanceof GrpcJavaCallDispatcher grpc) {
            body.put("grpcClusters", grpc.describe());
        }
        if (meters != null) {
            body.put("callbacks", callbackStats());
        }
        return body;
    }

    /** Per module that is not required and could not be used: why, and its failure policy. */
    private Map<String, Map<String, Object>> failedModules() {
        Map<String, Map<String, Object>> failed = new TreeMap<>();
        registry.failures().forEach((name, failure) -> failed.put(name, Map.of("reason", failure.reason(),
                "failurePolicy", failure.failurePolicy().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))));
        return failed;
    }

    /** Per loaded module: its VM instances, how many are broken, how many were replaced, its failure policy. */
    private Map<String, Map<String, Object>> instances() {
        Map<String, Map<String, Object>> instances = new LinkedHashMap<>();
        for (String name : registry.names()) {
            registry.find(name).ifPresent(module -> {
                Map<String, Object> facts = new LinkedHashMap<>();
                facts.put("count", module.instanceCount());
                facts.put("broken", module.brokenInstanceCount());
                facts.put("replaced", module.replacedInstanceCount());
                facts.put("failurePolicy", module.failurePolicy().name().toLowerCase(java.util.Locale.ROOT)
                    .replace('_', '-'));
                if (module.lastTrap() != null) {
                    facts.put("lastTrap", module.lastTrap()); // the callback, the reason and the guest stack
                }
                instances.put(name, facts);
            });
        }
        return instances;
    }

    /** Per module and callback: count, mean and max milliseconds, traps (from wasm.callback.duration). */
    private Map<String, Map<String, Object>> callbackStats() {
        Map<String, Map<String, Object>> stats = new TreeMap<>();
        for (Timer timer : meters.find("wasm.callback.duration").timers()) {
            String module = timer.getId().getTag("module");
            String callback = timer.getId().getTag("callback");
            Counter traps = meters.find("wasm.traps").tags("module", module, "callback", callback).counter();
            stats.computeIfAbsent(module, m -> new TreeMap<>()).put(callback, Map.of("count", timer.count(),
                    "meanMillis", timer.mean(TimeUnit.MILLISECONDS), "maxMillis", timer.max(TimeUnit.MILLISECONDS),
                    "traps", traps == null ? 0 : (long) traps.count()));
        }
        return stats;
    }

    /** {@code shared-data} (with {@code prefix}, {@code offset}, {@code limit}) or {@code queues}. */
    @ReadOperation
    public WebEndpointResponse<Object> section(@Selector String section, @Nullable String prefix,
            @Nullable Integer offset, @Nullable Integer limit) {
        if (SHARED_DATA.equals(section)) {
            SharedData.KeyPage page = sharedData.keys(prefix == null ? "" : prefix, offset == null ? 0 : offset,
                    limit == null ? DEFAULT_PAGE : limit);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("keys", page.keys());
            body.put("total", page.total());
            body.put("stats", sharedData.stats());
            return new WebEndpointResponse<>(body);
        }
        if (QUEUES.equals(section)) {
            List<SharedQueues.QueueInfo> queues = sharedQueues.list();
            return new WebEndpointResponse<>(Map.of("queues", queues));
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
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", key);
        String text = utf8(value.value());
        body.put("encoding", text != null ? "text" : "base64");
        body.put("value", text != null ? text : Base64.getEncoder().encodeToString(value.value()));
        body.put("cas", Integer.toUnsignedLong(value.cas()));
        return new WebEndpointResponse<>(body);
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
            return new WebEndpointResponse<>(Map.of("queue", Integer.parseInt(id), "drained", drained.getAsInt()));
        }
        catch (NumberFormatException ex) {
            return new WebEndpointResponse<>(WebEndpointResponse.STATUS_BAD_REQUEST);
        }
    }

    private static WebEndpointResponse<Object> answer(SharedStatus status) {
        return switch (status) {
            case OK -> new WebEndpointResponse<>(Map.of("status", "ok"));
            case NOT_FOUND -> new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
            case CAS_MISMATCH -> new WebEndpointResponse<>(Map.of("status", "cas_mismatch"), 409);
            default -> new WebEndpointResponse<>(Map.of("status", status.name().toLowerCase()), 507);
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
}
