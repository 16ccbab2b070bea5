package io.wasmgateway.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.io.ResourceLoader;

/**
 * Reloads the modules with {@code watch: true} when their file changes. It polls (size and modification time)
 * on its own daemon thread rather than using a WatchService: polling also sees files replaced through symbolic
 * links (Kubernetes config maps) and on file systems without change events. A change is acted on once the file
 * has stayed the same for one more interval, so a file being written is not loaded half-way.
 */
public class ModuleFileWatcher implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ModuleFileWatcher.class);

    private final WasmModuleReloader reloader;

    private final Map<String, WatchedFile> files = new LinkedHashMap<>();

    private final ScheduledExecutorService poller; // null when no module is watched

    public ModuleFileWatcher(WasmGatewayProperties properties, ResourceLoader resourceLoader,
            WasmModuleReloader reloader) {
        this.reloader = reloader;
        properties.getModules().forEach((name, module) -> {
            if (module.isWatch()) {
                files.put(name, new WatchedFile(path(resourceLoader, module.getLocation())));
            }
        });
        if (files.isEmpty()) {
            this.poller = null;
            return;
        }
        this.poller = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "wasm-module-watcher");
            thread.setDaemon(true);
            return thread;
        });
        Duration interval = properties.getWatchInterval();
        files.forEach((name, file) -> file.seen = file.signature());
        poller.scheduleWithFixedDelay(this::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        log.info("Watching the files of wasm modules {} every {}", files.keySet(), interval);
    }

    private void poll() {
        files.forEach((name, file) -> {
            try {
                Signature now = file.signature();
                if (now.equals(file.seen)) {
                    file.pending = null;
                }
                else if (now.equals(file.pending)) { // changed, then stable for one interval
                    file.seen = now;
                    file.pending = null;
                    if (now.exists()) {
                        log.info("The file of wasm module '{}' changed: reloading it", name);
                        reloader.reload(name, true);
                    }
                }
                else {
                    file.pending = now;
                }
            }
            catch (RuntimeException ex) { // the next poll tries again; the scheduler must not stop
                log.error("Watching wasm module '{}' failed", name, ex);
            }
        });
    }

    private static Path path(ResourceLoader resourceLoader, String location) {
        try {
            return resourceLoader.getResource(location).getFile().toPath();
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot watch " + location + ": " + ex.getMessage(), ex);
        }
    }

    @Override
    public void destroy() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }

    /** Size and modification time: what changes when a file is written or replaced. */
    private record Signature(boolean exists, long size, long modifiedNanos) {
    }

    private static final class WatchedFile {

        private final Path path;

        private Signature seen; // the poller thread only

        private Signature pending;

        WatchedFile(Path path) {
            this.path = path;
        }

        Signature signature() {
            try {
                BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
                return new Signature(true, attributes.size(), attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS));
            }
            catch (IOException ex) {
                return new Signature(false, 0, 0);
            }
        }
    }
}
