package io.wasmgateway.gateway;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.wasmgateway.gateway.WasmModuleRegistry.LoadedModule;
import io.wasmgateway.gateway.filter.ProxyWasmPlugins;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces a module with the version now at its location: loads and compiles it, creates its routes' plugins on
 * it, then hands them to the routes. New requests use the new version; requests in flight finish on the old
 * one, which is closed after the last of them ({@link io.wasmgateway.host.ProxyWasmModule#retire()}). A version
 * that fails to load (or whose plugins refuse their configuration) is dropped and the old one keeps running.
 * Loading blocks the calling thread: call it from Actuator (which runs on a blocking-capable scheduler) or the
 * watcher thread, never from an event loop.
 */
public class WasmModuleReloader {

    private static final Logger log = LoggerFactory.getLogger(WasmModuleReloader.class);

    private final WasmModuleRegistry registry;

    private final ProxyWasmPlugins plugins;

    private final Map<String, Reload> lastReloads = new ConcurrentHashMap<>();

    // how modules of another kind than proxy-wasm (kind: extism) reload, by name
    private final Map<String, Function<Boolean, Reload>> otherKinds = new ConcurrentHashMap<>();

    /**
     * What a reload did.
     *
     * @param outcome {@code reloaded}, {@code unchanged} (only when asked to skip identical bytes) or
     *     {@code failed}
     * @param sha256 the SHA-256 of the version that serves requests now
     * @param error why the new version was refused, or null
     */
    public record Reload(String module, String outcome, String sha256, String previousSha256, String error,
            Instant at) {

        public boolean failed() {
            return "failed".equals(outcome);
        }
    }

    public WasmModuleReloader(WasmModuleRegistry registry, ProxyWasmPlugins plugins) {
        this.registry = registry;
        this.plugins = plugins;
    }

    /**
     * Reloads the module {@code name} (one reload at a time).
     *
     * @param skipWhenUnchanged true to keep the running version when the bytes at the location are the same
     * @throws IllegalArgumentException when no module has that name
     */
    public synchronized Reload reload(String name, boolean skipWhenUnchanged) {
        Function<Boolean, Reload> otherKind = otherKinds.get(name);
        if (otherKind != null) {
            return record(otherKind.apply(skipWhenUnchanged));
        }
        if (!registry.names().contains(name)) {
            throw new IllegalArgumentException("no wasm module '" + name + "'");
        }
        String previousSha256 = registry.facts(name).sha256();
        LoadedModule next;
        try {
            next = registry.loadAgain(name);
        }
        catch (WasmModuleLoadException ex) {
            return failed(name, previousSha256, ex);
        }
        if (skipWhenUnchanged && next.facts().sha256().equals(previousSha256)) {
            next.module().close();
            return record(new Reload(name, "unchanged", previousSha256, previousSha256, null, Instant.now()));
        }
        LoadedModule[] previous = new LoadedModule[1];
        try {
            plugins.recreate(name, next.module(), next.configSchema(),
                    () -> previous[0] = registry.replace(name, next));
        }
        catch (WasmModuleLoadException ex) {
            next.module().close();
            return failed(name, previousSha256, ex);
        }
        if (previous[0] == null) { // the application stopped while the new version loaded
            next.module().close();
            return record(new Reload(name, "failed", previousSha256, previousSha256, "the gateway is stopping",
                    Instant.now()));
        }
        long inFlight = previous[0].module().openContextCount();
        previous[0].module().retire();
        log.info("Reloaded wasm module '{}' from {} (sha256 {}, was {}); {} requests in flight finish on the old "
                + "version", name, next.settings().getLocation(), next.facts().sha256(), previousSha256, inFlight);
        return record(new Reload(name, "reloaded", next.facts().sha256(), previousSha256, null, Instant.now()));
    }

    /**
     * Makes {@link #reload} (Actuator, the file watcher) reload the module {@code name}, of another kind than
     * proxy-wasm, with {@code reload} (given whether to skip unchanged bytes).
     */
    public void reloadsOtherKind(String name, Function<Boolean, Reload> reload) {
        otherKinds.put(name, reload);
    }

    /** Whether a module of that name can be reloaded. */
    public boolean knows(String name) {
        return registry.names().contains(name) || otherKinds.containsKey(name);
    }

    /** The last reload of each module that was reloaded, by name. */
    public Map<String, Reload> lastReloads() {
        return new TreeMap<>(lastReloads);
    }

    private Reload failed(String name, String runningSha256, WasmModuleLoadException ex) {
        log.error("Reloading wasm module '{}' failed; the running version (sha256 {}) stays: {}", name,
                runningSha256, ex.getMessage());
        return record(new Reload(name, "failed", runningSha256, runningSha256, ex.getMessage(), Instant.now()));
    }

    private Reload record(Reload reload) {
        lastReloads.put(reload.module(), reload);
        return reload;
    }
}
