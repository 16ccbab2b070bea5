package io.wasmgateway.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import io.wasmgateway.gateway.schema.PluginConfigSchema;
import io.wasmgateway.host.FailurePolicy;
import io.wasmgateway.host.HostServices;
import io.wasmgateway.host.ModuleLimits;
import io.wasmgateway.host.ModuleLoadException;
import io.wasmgateway.host.ModuleSpec;
import io.wasmgateway.host.ProxyWasmModule;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.ClassUtils;

/**
 * The configured Proxy-Wasm modules, loaded (validated, compiled, started) when the application starts and
 * closed when it stops. A module that cannot load stops the startup with a {@link WasmModuleLoadException}
 * naming the module, its location and the reason, unless it is not {@code required}: then it is recorded as
 * failed and its routes answer by its failure policy. A reload ({@link WasmModuleReloader}) replaces a module
 * with a newer version of itself.
 */
public class WasmModuleRegistry implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(WasmModuleRegistry.class);

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    // copied on write: a reload replaces a module while requests and Actuator read the map
    private volatile Map<String, LoadedModule> modules = new LinkedHashMap<>();

    private final ResourceLoader resourceLoader;

    private final HostServices services;

    private final RemoteModules remoteModules;

    private final Map<String, FailedModule> failed = new java.util.concurrent.ConcurrentHashMap<>();

    // every configured module's kind; modules of another kind than proxy-wasm are loaded elsewhere (extism/)
    private final Map<String, ModuleKind> kinds = new LinkedHashMap<>();

    public WasmModuleRegistry(WasmGatewayProperties properties, ResourceLoader resourceLoader,
            HostServices services) {
        this(properties, resourceLoader, services, null);
    }

    /** With TLS for downloads from Spring Boot's SSL bundles ({@code wasm.gateway.download.ssl-bundle}). */
    public WasmModuleRegistry(WasmGatewayProperties properties, ResourceLoader resourceLoader,
            HostServices services, @Nullable SslBundles sslBundles) {
        this.resourceLoader = resourceLoader;
        this.services = services;
        this.remoteModules = new RemoteModules(properties.getCacheDir(), properties.getDownload(), resourceLoader,
                sslBundles);
        try {
            properties.getModules().forEach((name, module) -> {
                kinds.put(name, module.getKind());
                if (module.getKind() == ModuleKind.EXTISM) {
                    // loaded by extism/ExtismModules, whose auto-configuration needs the SDK
                    if (!ClassUtils.isPresent("org.extism.sdk.chicory.Plugin", getClass().getClassLoader())) {
                        throw new WasmModuleLoadException(name, module.getLocation(), "kind: extism needs Extism's "
                                + "Chicory SDK (org.extism.sdk:chicory-sdk-core) on the class path; "
                                + "wasm-gateway-starter brings it", null);
                    }
                    return;
                }
                try {
                    modules.put(name, load(name, module));
                }
                catch (WasmModuleLoadException ex) {
                    if (module.isRequired()) {
                        throw ex;
                    }
                    markFailed(name, module.getFailurePolicy(), ex.getMessage());
                }
            });
        }
        catch (RuntimeException ex) {
            destroy();
            throw ex;
        }
    }

    /**
     * Loads the module {@code name} again from its location, with its settings, without replacing it.
     *
     * @throws WasmModuleLoadException when it cannot be loaded
     */
    LoadedModule loadAgain(String name) {
        return load(name, modules.get(name).settings());
    }

    /**
     * Puts a module loaded by {@link #loadAgain} in place; returns the one it replaces, or null when the
     * registry was closed meanwhile (the application stops) and {@code next} was not taken.
     */
    synchronized LoadedModule replace(String name, LoadedModule next) {
        if (!modules.containsKey(name)) {
            return null;
        }
        Map<String, LoadedModule> copy = new LinkedHashMap<>(modules);
        LoadedModule previous = copy.put(name, next);
        modules = copy;
        return previous;
    }

    /** The module of that name, if configured. */
    public Optional<ProxyWasmModule> find(String name) {
        LoadedModule loaded = modules.get(name);
        return loaded == null ? Optional.empty() : Optional.of(loaded.module());
    }

    /** A module that could not be used, with what its routes do instead. */
    public record FailedModule(String name, FailurePolicy failurePolicy, String reason) {
    }

    /**
     * Records a module that is not {@code required} as failed (it failed to load, or a route's plugin of it
     * failed to configure); logged at error level with the module's name.
     */
    public void markFailed(String name, FailurePolicy policy, String reason) {
        log.error("Wasm module '{}' failed and is not required: its routes answer {} ({})", name,
                policy.name().toLowerCase(Locale.ROOT).replace('_', '-'), reason);
        failed.put(name, new FailedModule(name, policy, reason));
    }

    /** The module of that name if it failed and is not required. */
    public Optional<FailedModule> failure(String name) {
        return Optional.ofNullable(failed.get(name));
    }

    /** The modules that failed and are not required, by name. */
    public Map<String, FailedModule> failures() {
        return Map.copyOf(failed);
    }

    /** Whether a loaded module must work for the gateway to start ({@code required}). */
    public boolean required(String name) {
        LoadedModule loaded = modules.get(name);
        return loaded == null || loaded.settings().isRequired();
    }

    /** The configured kind of a module of any kind, or null when no module has that name. */
    public ModuleKind kind(String name) {
        return kinds.get(name);
    }

    /** The configured module names, in configuration order. */
    public Set<String> names() {
        return Collections.unmodifiableSet(modules.keySet());
    }

    /** The root id a route gets when it sets none ({@code wasm.gateway.modules.<name>.root-id}). */
    public String defaultRootId(String name) {
        return modules.get(name).settings().getRootId();
    }

    /** How many body bytes a filter of the module may hold ({@code max-buffered-body}), at most 2 GB - 1. */
    public int maxBufferedBody(String name) {
        return (int) Math.min(Integer.MAX_VALUE - 1, modules.get(name).settings().getMaxBufferedBody().toBytes());
    }

    /** The configured location, for messages. */
    public String location(String name) {
        return modules.get(name).settings().getLocation();
    }

    @Override
    public synchronized void destroy() {
        modules.forEach((name, loaded) -> {
            try {
                loaded.module().close();
            }
            catch (RuntimeException ex) {
                log.warn("Closing wasm module '{}' failed", name, ex);
            }
        });
        modules = new LinkedHashMap<>();
    }

    private LoadedModule load(String name, WasmGatewayProperties.Module settings) {
        String location = settings.getLocation();
        if (location == null || location.isBlank()) {
            throw new WasmModuleLoadException(name, "no location", "wasm.gateway.modules." + name
                    + ".location is not set", null);
        }
        if (settings.isWatch() && !location.startsWith("file:")) {
            throw new WasmModuleLoadException(name, location, "wasm.gateway.modules." + name
                    + ".watch needs a file: location", null);
        }
        String pin = pin(name, settings);
        byte[] bytes = RemoteModules.isRemote(location) ? remoteModules.fetch(name, location, pin)
                : read(name, location, resourceLoader);
        if (pin != null && !sha256(bytes).equals(pin)) {
            throw new WasmModuleLoadException(name, location, "SHA-256 mismatch: wasm.gateway.modules." + name
                    + ".sha256 is " + pin + ", the module's is " + sha256(bytes), null);
        }
        byte[] source = bytes; // a .wat module is identified (sha256, size) by its text
        bytes = WatModules.binary(name, location, bytes);
        PluginConfigSchema configSchema = PluginConfigSchema.load(name, location, settings.getConfigSchema(),
                resourceLoader);
        ModuleLimits limits = limits(name, location, settings);
        int instances = settings.getInstances() != null ? settings.getInstances() : EventLoopWorkers.defaultCount();
        if (instances < 1) {
            throw new WasmModuleLoadException(name, location, "instances must be at least 1, was " + instances, null);
        }
        String vmId = settings.getVmId() != null ? settings.getVmId() : name;
        ModuleSpec spec = new ModuleSpec(name, location, bytes, settings.getEngine(), vmId,
                settings.getVmConfig().getBytes(StandardCharsets.UTF_8), settings.getEnvironment(), instances, limits,
                settings.getPrecompiled());
        try {
            long start = System.nanoTime();
            ProxyWasmModule module = ProxyWasmModule.load(spec, services);
            String engine = settings.getPrecompiled() != null ? "precompiled"
                    : settings.getEngine().name().toLowerCase(java.util.Locale.ROOT);
            ModuleFacts facts = new ModuleFacts(name, location, sha256(source), source.length,
                    module.abiVersion().name(), engine,
                    module.instanceCount(), Instant.now(), Duration.ofNanos(System.nanoTime() - start).toMillis());
            log.info("Loaded wasm module '{}' from {} ({} instances, {} engine, {} ms)", name, location, instances,
                    engine, facts.loadMillis());
            return new LoadedModule(module, settings, facts, configSchema);
        }
        catch (ModuleLoadException ex) {
            throw new WasmModuleLoadException(name, location, reason(name, location, ex), ex);
        }
    }

    /** The configured pin in lower case, or null; refuses anything but 64 hex digits. */
    static String pin(String name, WasmGatewayProperties.Module settings) {
        String pin = settings.getSha256();
        if (pin == null || pin.isBlank()) {
            return null;
        }
        pin = pin.trim().toLowerCase(Locale.ROOT);
        if (!SHA256.matcher(pin).matches()) {
            throw new WasmModuleLoadException(name, settings.getLocation(), "wasm.gateway.modules." + name
                    + ".sha256 must be 64 hex digits, was '" + settings.getSha256() + "'", null);
        }
        return pin;
    }

    private static ModuleLimits limits(String name, String location, WasmGatewayProperties.Module settings) {
        try {
            long pages = settings.getMaxMemory().toBytes() / 65536;
            return new ModuleLimits(settings.getCallbackTimeout(), settings.getStartTimeout(),
                    (int) Math.min(pages, Integer.MAX_VALUE), settings.getFailurePolicy())
                .withColdCallbackTimeout(settings.getColdCallbackTimeout())
                .withRecycling(settings.getRecycleAfterRequests(),
                        settings.getRecycleAtMemory() == null ? 0 : settings.getRecycleAtMemory().toBytes())
                .withIsolation(settings.getIsolation());
        }
        catch (IllegalArgumentException | NullPointerException ex) {
            throw new WasmModuleLoadException(name, location, ex.getMessage(), ex);
        }
    }

    /** The host's message names module and location too; ours already does. */
    public static String reason(String module, String location, ModuleLoadException ex) {
        String message = String.valueOf(ex.getMessage());
        String prefix = "wasm module '" + module + "' (" + location + "): ";
        return message.regionMatches(true, 0, prefix, 0, prefix.length()) ? message.substring(prefix.length())
                : message;
    }

    static byte[] read(String name, String location, ResourceLoader loader) {
        Resource resource = loader.getResource(location);
        if (!resource.exists()) {
            throw new WasmModuleLoadException(name, location, "the file does not exist", null);
        }
        try (InputStream in = resource.getInputStream()) {
            return in.readAllBytes();
        }
        catch (IOException ex) {
            throw new WasmModuleLoadException(name, location, "the file cannot be read: " + ex.getMessage(), ex);
        }
    }

    /** What /actuator/wasm shows of a module. */
    public record ModuleFacts(String name, String location, String sha256, int size, String abiVersion,
            String engine, int instances, Instant loadedAt, long loadMillis) {
    }

    /** The facts of the module of that name (which must be configured). */
    public ModuleFacts facts(String name) {
        return modules.get(name).facts();
    }

    /** The facts of every loaded module, in configuration order. */
    public List<ModuleFacts> facts() {
        return modules.values().stream().map(LoadedModule::facts).toList();
    }

    /** The hex SHA-256 of the bytes: how modules and plugin configurations are identified. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
        }
    }

    /** The schema the module's plugin configurations must match ({@link PluginConfigSchema#NONE} when none). */
    public PluginConfigSchema configSchema(String name) {
        LoadedModule loaded = modules.get(name);
        return loaded == null ? PluginConfigSchema.NONE : loaded.configSchema();
    }

    record LoadedModule(ProxyWasmModule module, WasmGatewayProperties.Module settings, ModuleFacts facts,
            PluginConfigSchema configSchema) {
    }
}
