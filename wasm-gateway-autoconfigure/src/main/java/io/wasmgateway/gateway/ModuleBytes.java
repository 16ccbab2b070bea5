package io.wasmgateway.gateway;

import org.springframework.core.io.ResourceLoader;

/**
 * Reads the bytes of a module of any kind as {@link WasmModuleRegistry} reads a Proxy-Wasm module's: a Spring
 * resource or an {@code https:} location (downloaded and cached by {@link RemoteModules}), checked against the
 * configured {@code sha256} when there is one.
 */
public final class ModuleBytes {

    private final ResourceLoader resourceLoader;

    private final RemoteModules remoteModules;

    public ModuleBytes(WasmGatewayProperties properties, ResourceLoader resourceLoader) {
        this.resourceLoader = resourceLoader;
        this.remoteModules = new RemoteModules(properties.getCacheDir(), properties.getDownload(), resourceLoader,
                null); // default trust: download.ssl-bundle applies to Proxy-Wasm modules only
    }

    /**
     * The module's bytes, at startup or for a reload.
     *
     * @throws WasmModuleLoadException naming the module when there is no location, the file cannot be read or
     *     downloaded, or the SHA-256 differs from the pin
     */
    public byte[] read(String name, WasmGatewayProperties.Module settings) {
        String location = settings.getLocation();
        if (location == null || location.isBlank()) {
            throw new WasmModuleLoadException(name, "no location", "wasm.gateway.modules." + name
                    + ".location is not set", null);
        }
        if (settings.isWatch() && !location.startsWith("file:")) {
            throw new WasmModuleLoadException(name, location, "wasm.gateway.modules." + name
                    + ".watch needs a file: location", null);
        }
        String pin = WasmModuleRegistry.pin(name, settings);
        byte[] bytes = RemoteModules.isRemote(location) ? remoteModules.fetch(name, location, pin)
                : WasmModuleRegistry.read(name, location, resourceLoader);
        if (pin != null && !WasmModuleRegistry.sha256(bytes).equals(pin)) {
            throw new WasmModuleLoadException(name, location, "SHA-256 mismatch: wasm.gateway.modules." + name
                    + ".sha256 is " + pin + ", the module's is " + WasmModuleRegistry.sha256(bytes), null);
        }
        return bytes;
    }
}
