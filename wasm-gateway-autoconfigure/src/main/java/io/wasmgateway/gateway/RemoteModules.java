package io.wasmgateway.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.core.io.ResourceLoader;

/**
 * Modules at https locations: pinned by their SHA-256, downloaded once and kept in a cache directory under that
 * hash. A cached copy is used without asking the server, so a restart works while the server is down. Runs at
 * startup (or on a reload), never on an event loop.
 */
final class RemoteModules {

    private static final Logger log = LoggerFactory.getLogger(RemoteModules.class);

    private final Path cacheDir;

    private final WasmGatewayProperties.Download settings;

    private final ResourceLoader resourceLoader;

    private HttpClient client; // created on first download: most gateways never download

    private final @Nullable SslBundles sslBundles;

    RemoteModules(Path cacheDir, WasmGatewayProperties.Download settings, ResourceLoader resourceLoader,
            @Nullable SslBundles sslBundles) {
        this.sslBundles = sslBundles;
        this.cacheDir = cacheDir;
        this.settings = settings;
        this.resourceLoader = resourceLoader;
    }

    static boolean isRemote(String location) {
        return location.regionMatches(true, 0, "https:", 0, 6) || location.regionMatches(true, 0, "http:", 0, 5);
    }

    /** The module's bytes, from the cache or downloaded; their SHA-256 is {@code pin}. */
    byte[] fetch(String name, String location, String pin) {
        if (!location.regionMatches(true, 0, "https:", 0, 6)) {
            throw new WasmModuleLoadException(name, location, "remote modules are downloaded over https only", null);
        }
        if (pin == null || pin.isBlank()) {
            throw new WasmModuleLoadException(name, location, "an https location needs wasm.gateway.modules." + name
                    + ".sha256, the module's SHA-256 (64 hex digits)", null);
        }
        Path cached = cacheDir.resolve(pin + ".wasm");
        byte[] bytes = readCached(cached, pin);
        if (bytes != null) {
            log.info("Wasm module '{}': using the cached copy {} of {}", name, cached, location);
            return bytes;
        }
        bytes = download(name, location, cached);
        String actual = WasmModuleRegistry.sha256(bytes);
        if (!actual.equals(pin)) {
            throw new WasmModuleLoadException(name, location, "SHA-256 mismatch: wasm.gateway.modules." + name
                    + ".sha256 is " + pin + ", the downloaded module's is " + actual, null);
        }
        store(cached, bytes);
        return bytes;
    }

    private static byte[] readCached(Path cached, String pin) {
        if (!Files.isRegularFile(cached)) {
            return null;
        }
        try {
            byte[] bytes = Files.readAllBytes(cached);
            if (WasmModuleRegistry.sha256(bytes).equals(pin)) {
                return bytes;
            }
            log.warn("The cached module {} does not match its name's SHA-256; downloading it again", cached);
            Files.deleteIfExists(cached);
        }
        catch (IOException ex) {
            log.warn("The cached module {} cannot be read ({}); downloading it again", cached, ex.toString());
        }
        return null;
    }

    private byte[] download(String name, String location, Path cached) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(location)).timeout(settings.getTimeout()).GET().build();
        }
        catch (IllegalArgumentException ex) {
            throw new WasmModuleLoadException(name, location, "not a valid URL: " + ex.getMessage(), ex);
        }
        long start = System.nanoTime();
        try {
            HttpResponse<InputStream> response = client(name, location).send(request,
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new WasmModuleLoadException(name, location, "the download failed with HTTP status "
                            + response.statusCode() + notCached(cached), null);
                }
                byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, settings.getMaxBytes().toBytes() + 1));
                if (bytes.length > settings.getMaxBytes().toBytes()) {
                    throw new WasmModuleLoadException(name, location, "the module is larger than "
                            + "wasm.gateway.download.max-bytes (" + settings.getMaxBytes() + ")", null);
                }
                log.info("Wasm module '{}': downloaded {} bytes from {} in {} ms", name, bytes.length, location,
                        Duration.ofNanos(System.nanoTime() - start).toMillis());
                return bytes;
            }
        }
        catch (IOException ex) {
            String reason = ex.getMessage() == null ? ex.getClass().getSimpleName()
                    : ex.getClass().getSimpleName() + ": " + ex.getMessage();
            throw new WasmModuleLoadException(name, location, "the download failed (" + reason + ")"
                    + notCached(cached), ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new WasmModuleLoadException(name, location, "the download was interrupted", ex);
        }
    }

    private static String notCached(Path cached) {
        return ", and the cache has no copy (" + cached + ")";
    }

    /** Written to a temporary file first: a concurrent reader never sees half a module. */
    private static void store(Path cached, byte[] bytes) {
        try {
            Files.createDirectories(cached.getParent());
            Path partial = Files.createTempFile(cached.getParent(), cached.getFileName().toString(), ".part");
            Files.write(partial, bytes);
            Files.move(partial, cached, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (IOException ex) {
            log.warn("Cannot cache the downloaded module in {} ({}): the next startup downloads it again", cached,
                    ex.toString());
        }
    }

    private synchronized HttpClient client(String name, String location) {
        if (client == null) {
            HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(settings.getTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL);
            SslBundle tls;
            try {
                tls = ClientTls.bundle("wasm.gateway.download", settings.getSslBundle(), settings.getTrustBundle(),
                        sslBundles, resourceLoader);
            }
            catch (IllegalArgumentException ex) {
                throw new WasmModuleLoadException(name, location, ex.getMessage() + " (the TLS settings of downloads)",
                        ex);
            }
            if (tls != null) {
                builder.sslContext(tls.createSslContext()); // host names stay verified (the JDK client's default)
            }
            client = builder.build();
        }
        return client;
    }
}
