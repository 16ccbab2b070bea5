package io.wasmgateway.gateway.filter;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.wasmgateway.gateway.ModuleKind;
import io.wasmgateway.gateway.UnknownWasmModuleException;
import io.wasmgateway.gateway.WasmModuleLoadException;
import io.wasmgateway.gateway.WasmModuleRegistry;
import io.wasmgateway.gateway.WrongModuleKindException;
import io.wasmgateway.gateway.exchange.ProxyWasmGatewayFilter;
import io.wasmgateway.gateway.schema.PluginConfigSchema;
import io.wasmgateway.gateway.schema.PluginConfigurationException;
import io.wasmgateway.host.FailurePolicy;
import io.wasmgateway.host.ModuleLoadException;
import io.wasmgateway.host.Plugin;
import io.wasmgateway.host.PluginHandle;
import io.wasmgateway.host.ProxyWasmModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.cloud.gateway.event.RefreshRoutesResultEvent;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.context.ApplicationListener;

/**
 * The plugins routes use, one per (module, root id, configuration): a route refresh that finds the same
 * filter again reuses its plugin instead of creating root contexts anew. Routes hold a {@link PluginHandle},
 * so a module reload can hand them the same plugins created on the new module version. After each route refresh
 * the plugins no route uses any more are released: their root contexts end once no request pinned them
 * ({@link PluginHandle#release()}).
 */
public class ProxyWasmPlugins implements ApplicationListener<RefreshRoutesResultEvent> {

    private static final Logger log = LoggerFactory.getLogger(ProxyWasmPlugins.class);

    private final WasmModuleRegistry registry;

    private final Map<PluginKey, PluginHandle> plugins = new ConcurrentHashMap<>();

    private final Map<String, PluginUse> uses = new ConcurrentHashMap<>();

    // the configuration of each use, checked again against the schema of a reloaded module
    private final Map<String, String> configurations = new ConcurrentHashMap<>();

    /** What /actuator/wasm shows of a route's filter: the configuration only as its SHA-256. */
    public record PluginUse(String routeId, String module, String rootId, String configurationSha256) {
    }

    public ProxyWasmPlugins(WasmModuleRegistry registry) {
        this.registry = registry;
    }

    /**
     * The plugin for a route's filter, created (proxy_on_configure on every VM instance) the first time.
     *
     * @param rootId the route's root id, or null for the module's default
     * @param configuration the plugin configuration, or null for none
     * @throws UnknownWasmModuleException when no module has that name
     * @throws WasmModuleLoadException when the plugin cannot be configured
     */
    public synchronized PluginHandle plugin(String routeId, String module, String rootId, String configuration) {
        // synchronized with reloads: a plugin created during one would stay on the retired module
        if (registry.kind(module) != null && registry.kind(module) != ModuleKind.PROXY_WASM) {
            throw new WrongModuleKindException(routeId, ProxyWasmGatewayFilterFactory.NAME, module,
                    registry.kind(module), ModuleKind.PROXY_WASM);
        }
        ProxyWasmModule loaded = registry.find(module)
            .orElseThrow(() -> new UnknownWasmModuleException(routeId, module, registry.names()));
        PluginKey key = new PluginKey(module, rootId != null ? rootId : registry.defaultRootId(module),
                configuration != null ? configuration : "");
        registry.configSchema(module).check(routeId, module, registry.location(module), key.configuration());
        PluginHandle plugin = plugins.computeIfAbsent(key, k -> new PluginHandle(create("on route '" + routeId + "'", loaded, k)));
        String use = routeId + '\0' + module + '\0' + key.rootId() + '\0' + key.configuration();
        uses.put(use, new PluginUse(routeId,
                module, key.rootId(), WasmModuleRegistry.sha256(key.configuration().getBytes(StandardCharsets.UTF_8))));
        configurations.put(use, key.configuration());
        return plugin;
    }

    /** The module's {@code max-buffered-body}, in bytes. */
    public int maxBufferedBody(String module) {
        return registry.maxBufferedBody(module);
    }

    /** The failure policy of a module that is not loaded because it failed and is not required; else empty. */
    public Optional<FailurePolicy> failedModulePolicy(String module) {
        if (registry.find(module).isPresent()) {
            return Optional.empty();
        }
        return registry.failure(module).map(WasmModuleRegistry.FailedModule::failurePolicy);
    }

    /**
     * When a route's plugin of a module that is not required cannot be configured: records the module as failed
     * and returns its policy, for the route to answer by. Empty when the module is required (the failure stops
     * the startup).
     */
    public Optional<FailurePolicy> pluginFailed(String module, WasmModuleLoadException failure) {
        ProxyWasmModule loaded = registry.find(module).orElse(null);
        if (loaded == null || registry.required(module)) {
            return Optional.empty();
        }
        registry.markFailed(module, loaded.failurePolicy(), failure.getMessage());
        return Optional.of(loaded.failurePolicy());
    }

    /** The plugins routes use, by route id. */
    public List<PluginUse> uses() {
        return uses.values().stream().sorted(Comparator.comparing(PluginUse::routeId)).toList();
    }

    /**
     * Creates every plugin of {@code module} again on {@code candidate} (its reloaded version), with the same
     * root ids and configurations, and hands them to the routes with {@code swap}: while it runs no route
     * creates a plugin. When one cannot be created, those already created are dropped with the candidate
     * (which the caller closes) and the routes keep their plugins.
     *
     * @param swap replaces the module in the registry; runs after every plugin was created, before routes
     *     see the new plugins
     * @throws WasmModuleLoadException when a plugin cannot be created on the candidate
     */
    public synchronized void recreate(String module, ProxyWasmModule candidate, Runnable swap) {
        recreate(module, candidate, PluginConfigSchema.NONE, swap);
    }

    /**
     * As {@link #recreate(String, ProxyWasmModule, Runnable)}, after checking every route's configuration of the
     * module against {@code schema} (the reloaded module's): a configuration it refuses fails the reload before
     * any plugin is created.
     *
     * @throws PluginConfigurationException naming the first route whose configuration the schema refuses
     */
    public synchronized void recreate(String module, ProxyWasmModule candidate, PluginConfigSchema schema,
            Runnable swap) {
        uses.forEach((use, plugin) -> {
            if (plugin.module().equals(module)) {
                schema.check(plugin.routeId(), module, registry.location(module), configurations.get(use));
            }
        });
        Map<PluginHandle, Plugin> next = new LinkedHashMap<>();
        plugins.forEach((key, handle) -> {
            if (key.module().equals(module)) {
                next.put(handle, create("on reload", candidate, key));
            }
        });
        swap.run();
        next.forEach(PluginHandle::swap);
    }

    private Plugin create(String where, ProxyWasmModule module, PluginKey key) {
        try {
            return module.createPlugin(key.rootId(), key.configuration().getBytes(StandardCharsets.UTF_8));
        }
        catch (ModuleLoadException ex) {
            throw new WasmModuleLoadException(key.module(), registry.location(key.module()),
                    where + ", "
                            + WasmModuleRegistry.reason(key.module(), registry.location(key.module()), ex), ex);
        }
    }

    @Override
    public void onApplicationEvent(RefreshRoutesResultEvent event) {
        if (event.isSuccess() && event.getSource() instanceof RouteLocator routes) {
            routes.getRoutes()
                .collectList()
                .subscribe(this::releaseUnused,
                        error -> log.warn("wasm plugins of removed routes not released: {}", error.toString()));
        }
    }

    /** Releases the plugins that none of these routes' ProxyWasm filters uses. */
    synchronized void releaseUnused(List<Route> routes) {
        // synchronized with plugin() and reloads: a plugin being created or recreated is not swept meanwhile
        Set<PluginHandle> used = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<String> routeIds = new HashSet<>();
        for (Route route : routes) {
            routeIds.add(route.getId());
            for (GatewayFilter filter : route.getFilters()) {
                GatewayFilter unwrapped = filter instanceof OrderedGatewayFilter ordered ? ordered.getDelegate()
                        : filter;
                if (unwrapped instanceof ProxyWasmGatewayFilter proxyWasm) {
                    used.add(proxyWasm.plugin());
                }
            }
        }
        Set<String> releasedKeys = new HashSet<>();
        plugins.entrySet().removeIf(entry -> {
            if (used.contains(entry.getValue())) {
                return false;
            }
            PluginKey key = entry.getKey();
            releasedKeys.add(key.module() + '\0' + key.rootId() + '\0' + key.configuration());
            log.info("wasm module '{}': releasing the plugin with root id '{}', no route uses it any more",
                    key.module(), key.rootId());
            entry.getValue().release();
            return true;
        });
        uses.keySet().removeIf(use -> {
            int routeEnd = use.indexOf('\0');
            return !routeIds.contains(use.substring(0, routeEnd)) || releasedKeys.contains(use.substring(routeEnd + 1));
        });
        configurations.keySet().retainAll(uses.keySet());
    }

    private record PluginKey(String module, String rootId, String configuration) {
    }
}
