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
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.wasmgateway.host.HostServices;
import io.wasmgateway.host.ModuleLoadException;
import io.wasmgateway.host.ModuleSpec;
import io.wasmgateway.host.ProxyWasmModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/**
 * The configured Proxy-Wasm modules, loaded (validated, compiled, started) when the application starts and
 * closed when it stops. A module that cannot load stops the startup with a {@link WasmModuleLoadException}
 * naming the module, its location and the reason.
 */
public class WasmModuleRegistry implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(WasmModuleRegistry.class);

    private final Map<String, LoadedModule> modules = new LinkedHashMap<>();

    public WasmModuleRegistry(WasmGatewayProperties properties, ResourceLoader resourceLoader,
            HostServices services) {
        try {
            properties.getModules()
                .forEach((name, module) -> modules.put(name, load(name, module, resourceLoader, services)));
        }
        catch (RuntimeException ex) {
            destroy();
            throw ex;
        }
    }

    /** The module of that name, if configured. */
    public Optional<ProxyWasmModule> find(String name) {
        LoadedModule loaded = modules.get(name);
        return loaded == null ? Optional.empty() : Optional.of(loaded.module());
    }

    /** The configured module names, in configuration order. */
    public Set<String> names() {
        return Collections.unmodifiableSet(modules.keySet());
    }

    /** The root id a route gets when it sets none ({@code wasm.gateway.modules.<name>.root-id}). */
    public String defaultRootId(String name) {
        return modules.get(name).settings().getRootId();
    }

    /** The configured location, for messages. */
    public String location(String name) {
        return modules.get(name).settings().getLocation();
    }

    @Override
    public void destroy() {
        modules.forEach((name, loaded) -> {
            try {
                loaded.module().close();
            }
            catch (RuntimeException ex) {
                log.warn("Closing wasm module '{}' failed", name, ex);
            }
        });
        modules.clear();
    }

    private static LoadedModule load(String name, WasmGatewayProperties.Module settings, ResourceLoader loader,
            HostServices services) {
        String location = settings.getLocation();
        if (location == null || location.isBlank()) {
            throw new WasmModuleLoadException(name, "no location", "wasm.gateway.modules." + name
                    + ".location is not set", null);
        }
        byte[] bytes = read(name, location, loader);
        int instances = settings.getInstances() != null ? settings.getInstances() : EventLoopWorkers.defaultCount();
        if (instances < 1) {
            throw new WasmModuleLoadException(name, location, "instances must be at least 1, was " + instances, null);
        }
        String vmId = settings.getVmId() != null ? settings.getVmId() : name;
        ModuleSpec spec = new ModuleSpec(name, location, bytes, settings.getEngine(), vmId,
                settings.getVmConfig().getBytes(StandardCharsets.UTF_8), settings.getEnvironment(), instances,
                settings.getPrecompiled());
        try {
            long start = System.nanoTime();
            ProxyWasmModule module = ProxyWasmModule.load(spec, services);
            String engine = settings.getPrecompiled() != null ? "precompiled"
                    : settings.getEngine().name().toLowerCase(java.util.Locale.ROOT);
            ModuleFacts facts = new ModuleFacts(name, location, sha256(bytes), bytes.length,
                    module.abiVersion().name(), engine,
                    module.instanceCount(), Instant.now(), Duration.ofNanos(System.nanoTime() - start).toMillis());
            log.info("Loaded wasm module '{}' from {} ({} instances, {} engine, {} ms)", name, location, instances,
                    engine, facts.loadMillis());
            return new LoadedModule(module, settings, facts);
        }
        catch (ModuleLoadException ex) {
            throw new WasmModuleLoadException(name, location, reason(name, location, ex), ex);
        }
    }

    /** The host's message names module and location too; ours already does. */
    public static String reason(String module, String location, ModuleLoadException ex) {
        String message = String.valueOf(ex.getMessage());
        String prefix = "wasm module '" + module + "' (" + location + "): ";
        return message.regionMatches(true, 0, prefix, 0, prefix.length()) ? message.substring(prefix.length())
                : message;
    }

    private static byte[] read(String name, String location, ResourceLoader loader) {
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

    private record LoadedModule(ProxyWasmModule module, WasmGatewayProperties.Module settings, ModuleFacts facts) {
    }
}
