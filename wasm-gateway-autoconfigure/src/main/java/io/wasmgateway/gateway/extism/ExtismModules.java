package io.wasmgateway.gateway.extism;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;

import io.wasmgateway.gateway.EventLoopWorkers;
import io.wasmgateway.gateway.ModuleBytes;
import io.wasmgateway.gateway.ModuleKind;
import io.wasmgateway.gateway.UnknownWasmModuleException;
import io.wasmgateway.gateway.WasmGatewayProperties;
import io.wasmgateway.gateway.WasmModuleLoadException;
import io.wasmgateway.gateway.WasmModuleRegistry;
import io.wasmgateway.gateway.WasmModuleReloader.Reload;
import io.wasmgateway.gateway.WrongModuleKindException;
import io.wasmgateway.host.CallbackObserver;
import io.wasmgateway.host.Engine;
import io.wasmgateway.host.FailurePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;

/**
 * The modules declared with {@code kind: extism}, loaded at startup as every module is (a module that cannot
 * load stops the startup naming it, unless it is not {@code required}), reloaded in place (new calls go to the
 * new version, calls in flight finish on the old one), closed when the application stops.
 */
public class ExtismModules implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ExtismModules.class);

    private final Map<String, WasmGatewayProperties.Module> settings = new LinkedHashMap<>();

    private final Map<String, ModuleKind> kinds = new LinkedHashMap<>();

    private final Map<String, AtomicReference<ExtismModule>> modules = new LinkedHashMap<>();

    private final Map<String, String> failed = new ConcurrentHashMap<>();

    // the functions routes call, by module: a new version must export them all
    private final Map<String, Set<String>> usedFunctions = new ConcurrentHashMap<>();

    private final ModuleBytes moduleBytes;

    private final CallbackObserver observer;

    private final ScheduledExecutorService replacer;

    public ExtismModules(WasmGatewayProperties properties, ModuleBytes moduleBytes, CallbackObserver observer) {
        this.moduleBytes = moduleBytes;
        this.observer = observer;
        // instantiating takes milliseconds (Extism compiles each instance): never on an event loop or timer thread
        this.replacer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "wasm-extism-replacer");
            thread.setDaemon(true);
            return thread;
        });
        try {
            properties.getModules().forEach((name, module) -> {
                kinds.put(name, module.getKind());
                if (module.getKind() != ModuleKind.EXTISM) {
                    return;
                }
                settings.put(name, module);
                try {
                    modules.put(name, new AtomicReference<>(load(name, module)));
                }
                catch (WasmModuleLoadException ex) {
                    if (module.isRequired()) {
                        throw ex;
                    }
                    log.error("Wasm module '{}' failed and is not required: its routes answer {} ({})", name,
                            policyName(module.getFailurePolicy()), ex.getMessage());
                    failed.put(name, ex.getMessage());
                }
            });
        }
        catch (RuntimeException ex) {
            destroy();
            throw ex;
        }
    }

    /** The names of the modules of kind extism, in configuration order. */
    public Collection<String> names() {
        return settings.keySet();
    }

    /**
     * Checks, while a route is built, that {@code module} is a loaded Extism plugin exporting {@code function},
     * and remembers the function for reloads.
     *
     * @return the module's failure policy when it failed and is not required (the route answers by it), else null
     * @throws UnknownWasmModuleException when no module has that name
     * @throws WrongModuleKindException when it is a Proxy-Wasm module
     * @throws WasmModuleLoadException when the plugin does not export the function
     */
    public FailurePolicy checkRoute(String routeId, String filter, String module, String function) {
        ModuleKind kind = kinds.get(module);
        if (kind == null) {
            throw new UnknownWasmModuleException(routeId, module, kinds.keySet());
        }
        if (kind != ModuleKind.EXTISM) {
            throw new WrongModuleKindException(routeId, filter, module, kind, ModuleKind.EXTISM);
        }
        if (failed.containsKey(module)) {
            return settings.get(module).getFailurePolicy();
        }
        ExtismModule loaded = modules.get(module).get();
        if (!loaded.functions().contains(function)) {
            throw loaded.spec().loadFailure("route '" + routeId + "' calls " + filter + " function '" + function
                    + "', which the plugin does not export (it exports " + String.join(", ", loaded.functions())
                    + ")", null);
        }
        usedFunctions.computeIfAbsent(module, m -> ConcurrentHashMap.newKeySet()).add(function);
        return null;
    }

    /** The current version of each loaded module, by name, in configuration order. */
    public Map<String, ExtismModule> loaded() {
        Map<String, ExtismModule> loaded = new LinkedHashMap<>();
        modules.forEach((name, handle) -> loaded.put(name, handle.get()));
        return loaded;
    }

    /** Why each module that is not required failed to load, by name. */
    public Map<String, String> failures() {
        return Map.copyOf(failed);
    }

    /** The failure policy of a configured module of kind extism. */
    public FailurePolicy failurePolicy(String name) {
        return settings.get(name).getFailurePolicy();
    }

    /** The functions routes call, by module. */
    public Map<String, Set<String>> usedFunctions() {
        Map<String, Set<String>> used = new java.util.TreeMap<>();
        usedFunctions.forEach((name, functions) -> used.put(name, new java.util.TreeSet<>(functions)));
        return used;
    }

    /** The current version of a loaded module (which must be configured and loaded). */
    ExtismModule current(String module) {
        return modules.get(module).get();
    }

    /**
     * Calls {@code function} on the current version of {@code module}; a call that finds its version just
     * closed by a reload goes to the new one.
     */
    CompletableFuture<byte[]> call(String module, String function, byte[] input) {
        ExtismModule version = current(module);
        while (true) {
            CompletableFuture<byte[]> result = version.call(function, input);
            if (result != null) {
                return result;
            }
            ExtismModule next = current(module);
            if (next == version) { // closed, and no newer version: the application is stopping
                return CompletableFuture.failedFuture(new ExtismCallException(ExtismCallException.Kind.UNAVAILABLE,
                        module, function, "the module is closed (the gateway is stopping)", null));
            }
            version = next;
        }
    }

    /**
     * Loads the module again from its location and puts it in place, when it exports every function routes
     * call. Blocks the calling thread (Actuator or the file watcher).
     */
    public synchronized Reload reload(String name, boolean skipWhenUnchanged) {
        AtomicReference<ExtismModule> handle = modules.get(name);
        if (handle == null) {
            return new Reload(name, "failed", null, null, "the module failed at startup; restart to load it",
                    Instant.now());
        }
        ExtismModule previous = handle.get();
        String previousSha256 = previous.spec().sha256();
        ExtismModule next;
        try {
            next = load(name, settings.get(name));
            Set<String> missing = new java.util.TreeSet<>(usedFunctions.getOrDefault(name, Set.of()));
            missing.removeAll(next.functions());
            if (!missing.isEmpty()) {
                next.close();
                throw next.spec().loadFailure("the new version does not export " + String.join(", ", missing)
                        + ", which routes call", null);
            }
        }
        catch (WasmModuleLoadException ex) {
            log.error("Reloading wasm module '{}' failed; the running version (sha256 {}) stays: {}", name,
                    previousSha256, ex.getMessage());
            return new Reload(name, "failed", previousSha256, previousSha256, ex.getMessage(), Instant.now());
        }
        if (skipWhenUnchanged && next.spec().sha256().equals(previousSha256)) {
            next.close();
            return new Reload(name, "unchanged", previousSha256, previousSha256, null, Instant.now());
        }
        handle.set(next);
        long inFlight = previous.openCalls();
        previous.retire();
        log.info("Reloaded wasm module '{}' from {} (sha256 {}, was {}); {} calls in flight finish on the old "
                + "version", name, next.spec().location(), next.spec().sha256(), previousSha256, inFlight);
        return new Reload(name, "reloaded", next.spec().sha256(), previousSha256, null, Instant.now());
    }

    private ExtismModule load(String name, WasmGatewayProperties.Module module) {
        byte[] bytes = moduleBytes.read(name, module);
        int instances = module.getInstances() != null ? module.getInstances() : EventLoopWorkers.defaultCount();
        if (instances < 1) {
            throw new WasmModuleLoadException(name, module.getLocation(), "instances must be at least 1, was "
                    + instances, null);
        }
        if (module.getPrecompiled() != null) {
            throw new WasmModuleLoadException(name, module.getLocation(), "precompiled is for Proxy-Wasm modules only",
                    null);
        }
        long pages = module.getMaxMemory().toBytes() / 65536;
        ExtismModuleSpec spec = new ExtismModuleSpec(name, module.getLocation(), bytes, WasmModuleRegistry.sha256(bytes),
                Map.copyOf(module.getExtism().getConfig()), instances, (int) Math.min(pages, 65536),
                module.getCallbackTimeout().toNanos(), module.getStartTimeout().toNanos(), module.getFailurePolicy(),
                module.getEngine() == Engine.COMPILER,
                (int) Math.min(Integer.MAX_VALUE - 1, module.getMaxBufferedBody().toBytes()),
                List.copyOf(module.getExtism().getAllowedHosts()), module.getExtism().getHttpTimeout());
        ExtismModule loaded = ExtismModule.load(spec, observer, replacer);
        log.info("Loaded wasm module '{}' (Extism plugin) from {} ({} instances, {} engine, {} ms)", name,
                module.getLocation(), instances, module.getEngine().name().toLowerCase(java.util.Locale.ROOT),
                loaded.loadMillis());
        return loaded;
    }

    static String policyName(FailurePolicy policy) {
        return policy.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    @Override
    public void destroy() {
        replacer.shutdownNow();
        modules.values().forEach(handle -> {
            ExtismModule module = handle.get();
            if (module != null) {
                module.close();
            }
        });
    }
}
