package io.wasmgateway.gateway.extism;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.net.http.HttpClient;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.Import;
import io.wasmgateway.gateway.WasmModuleLoadException;
import io.wasmgateway.host.CallbackObserver;
import io.wasmgateway.host.FailurePolicy;
import io.wasmgateway.host.vm.GuestCallBudget;
import io.wasmgateway.host.vm.ThreadSlots;
import org.extism.sdk.chicory.CompiledPlugin;
import org.extism.sdk.chicory.Manifest;
import org.extism.sdk.chicory.ManifestWasm;
import org.extism.sdk.chicory.Plugin;
import org.extism.sdk.chicory.http.HttpConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.scheduler.Schedulers;

/**
 * One loaded version of an Extism plugin: its instances (by default one per event-loop thread, each serving one
 * call at a time) and how a broken one is replaced. A reload makes a new version and {@link #retire}s this one,
 * which closes once its calls in flight have finished.
 */
public final class ExtismModule {

    private static final Logger log = LoggerFactory.getLogger(ExtismModule.class);

    // the first replacement of a broken instance is immediate; one that fails is retried after 100 ms, doubling
    private static final long FIRST_RETRY_MILLIS = 100;

    private static final long MAX_RETRY_MILLIS = 30_000;

    // where the calls of a plugin that makes HTTP requests (which block) run
    private static final Executor BLOCKING = task -> Schedulers.boundedElastic().schedule(task);

    private final ExtismModuleSpec spec;

    private final CompiledPlugin compiled;

    private final Set<String> functions;

    private final AtomicReferenceArray<ExtismInstance> instances;

    private final CallbackObserver observer;

    private final ScheduledExecutorService replacer;

    // calls in flight; -1 once closed (no call can start any more)
    private final AtomicLong openCalls = new AtomicLong();

    private volatile boolean retired;

    private final AtomicLong replaced = new AtomicLong();

    private final Instant loadedAt = Instant.now();

    private final long loadMillis;

    private ExtismModule(ExtismModuleSpec spec, CompiledPlugin compiled, Set<String> functions,
            CallbackObserver observer, ScheduledExecutorService replacer, long startNanos) {
        this.spec = spec;
        this.compiled = compiled;
        this.functions = functions;
        this.observer = observer;
        this.replacer = replacer;
        this.instances = new AtomicReferenceArray<>(spec.instances());
        try {
            for (int i = 0; i < spec.instances(); i++) {
                instances.set(i, instantiate());
            }
        }
        catch (RuntimeException ex) {
            close();
            throw ex;
        }
        this.loadMillis = Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
    }

    /**
     * Validates, compiles and instantiates the plugin.
     *
     * @throws WasmModuleLoadException naming the module and the reason
     */
    static ExtismModule load(ExtismModuleSpec spec, CallbackObserver observer, ScheduledExecutorService replacer) {
        long start = System.nanoTime();
        WasmModule parsed;
        try {
            parsed = Parser.parse(spec.bytes());
        }
        catch (RuntimeException ex) {
            throw spec.loadFailure("not a valid wasm module: " + ex.getMessage(), ex);
        }
        checkImports(spec, parsed);
        int initialPages = parsed.memorySection().filter(m -> m.memoryCount() > 0)
            .map(m -> m.getMemory(0).limits().initialPages()).orElse(0);
        if (initialPages > spec.maxMemoryPages()) {
            throw spec.loadFailure("its initial memory (" + initialPages + " pages of 64 KiB) is larger than max-memory ("
                    + spec.maxMemoryPages() + " pages)", null);
        }
        Set<String> functions = new TreeSet<>();
        for (int i = 0; i < parsed.exportSection().exportCount(); i++) {
            Export export = parsed.exportSection().getExport(i);
            if (export.exportType() == ExternalType.FUNCTION) {
                functions.add(export.name());
            }
        }
        Manifest.Options options = new Manifest.Options().withConfig(spec.config())
            .withMemoryLimits(Math.max(initialPages, 1), Math.max(spec.maxMemoryPages(), 1));
        if (spec.compiled()) {
            options.withAoT().withMachineFactory(new CompiledMachines(parsed));
        }
        if (spec.blocking()) {
            try {
                options.withAllowedHosts(spec.allowedHosts().toArray(String[]::new));
            }
            catch (RuntimeException ex) {
                throw spec.loadFailure("extism.allowed-hosts: " + ex.getMessage(), ex);
            }
            HttpClient client = HttpClient.newBuilder().connectTimeout(spec.httpTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
            options.withHttpConfig(new HttpConfig(ExtismHttpJson::new,
                    () -> new ExtismHttpClient(client, spec.httpTimeout(), spec.maxBody())));
        }
        CompiledPlugin compiled = Plugin.ofManifest(Manifest.ofWasms(ManifestWasm.fromBytes(spec.bytes()).build())
            .withOptions(options)
            .build()).withLogger(new Slf4jExtismLogger(spec.name())).compile();
        return new ExtismModule(spec, compiled, functions, observer, replacer, start);
    }

    /** Extism gives a plugin its kernel functions and WASI; a plugin's own HTTP requests would block the caller. */
    private static void checkImports(ExtismModuleSpec spec, WasmModule parsed) {
        for (int i = 0; i < parsed.importSection().importCount(); i++) {
            Import imported = parsed.importSection().getImport(i);
            String name = imported.module() + "." + imported.name();
            if (imported.module().equals("extism:host/env") && imported.name().startsWith("http_")
                    && !spec.blocking()) {
                throw spec.loadFailure("it imports " + name + ": the plugin makes its own HTTP requests; list the "
                        + "hosts it may reach in wasm.gateway.modules." + spec.name() + ".extism.allowed-hosts", null);
            }
            if (!imported.module().equals("extism:host/env") && !imported.module().equals("wasi_snapshot_preview1")) {
                throw spec.loadFailure("it imports " + name + ", which Extism does not provide (only extism:host/env "
                        + "and wasi_snapshot_preview1)", null);
            }
        }
    }

    private ExtismInstance instantiate() {
        GuestCallBudget startBudget = new GuestCallBudget();
        boolean interrupted = false;
        try {
            Plugin plugin;
            startBudget.enter(spec.startBudgetNanos());
            try {
                plugin = compiled.instantiate();
            }
            finally {
                interrupted = startBudget.exit();
            }
            return new ExtismInstance(plugin, spec.name());
        }
        catch (RuntimeException | StackOverflowError ex) {
            throw spec.loadFailure("its instance could not start: " + (interrupted
                    ? GuestCallBudget.pastBudget(spec.startBudgetNanos(), "start-timeout")
                    : GuestCallBudget.reason(ex)), ex);
        }
        finally {
            startBudget.close();
        }
    }

    /**
     * Calls {@code function} on the instance of the calling thread (another healthy one while it is replaced).
     *
     * @return the output, or null when this version has closed (a reload retired it): ask the handle again
     */
    CompletableFuture<byte[]> call(String function, byte[] input) {
        if (!open()) {
            return null;
        }
        int count = instances.length();
        int first = ThreadSlots.slotOf(count);
        ExtismInstance chosen = null;
        for (int i = 0; i < count && chosen == null; i++) {
            ExtismInstance candidate = instances.get((first + i) % count);
            if (candidate != null && !candidate.broken()) {
                chosen = candidate;
            }
        }
        ExtismInstance instance = chosen;
        CompletableFuture<byte[]> result = chosen == null ? CompletableFuture.failedFuture(new ExtismCallException(ExtismCallException.Kind.UNAVAILABLE,
                        spec.name(), function, "every instance broke and is being replaced", null))
                : spec.blocking()
                        ? CompletableFuture.supplyAsync(() -> instance.call(function, input, spec.callbackBudgetNanos(),
                                observer, this::replace), BLOCKING).thenCompose(output -> output)
                        : instance.call(function, input, spec.callbackBudgetNanos(), observer, this::replace);
        result.whenComplete((output, error) -> release());
        return result;
    }

    /** Replaces a broken instance with a fresh one, off the calling thread; retried with backoff while it fails. */
    private void replace(ExtismInstance broken) {
        replacer.execute(() -> replace(broken, 0));
    }

    private void replace(ExtismInstance broken, int failures) {
        if (openCalls.get() < 0) {
            return; // closed meanwhile
        }
        try {
            ExtismInstance fresh = instantiate();
            for (int i = 0; i < instances.length(); i++) {
                if (instances.compareAndSet(i, broken, fresh)) {
                    broken.close();
                    replaced.incrementAndGet();
                    log.info("Replaced a broken instance of wasm module '{}'", spec.name());
                    return;
                }
            }
            fresh.close();
        }
        catch (RuntimeException ex) {
            long delay = Math.min(MAX_RETRY_MILLIS, FIRST_RETRY_MILLIS << Math.min(failures, 16));
            log.error("Replacing a broken instance of wasm module '{}' failed, retrying in {} ms: {}", spec.name(),
                    delay, ex.getMessage());
            replacer.schedule(() -> replace(broken, failures + 1), delay, TimeUnit.MILLISECONDS);
        }
    }

    private boolean open() {
        while (true) {
            long calls = openCalls.get();
            if (calls < 0) {
                return false;
            }
            if (openCalls.compareAndSet(calls, calls + 1)) {
                return true;
            }
        }
    }

    private void release() {
        if (openCalls.decrementAndGet() == 0 && retired && openCalls.compareAndSet(0, -1)) {
            closeInstances();
        }
    }

    /** A newer version serves new calls: closes this one when its last call in flight has finished. */
    void retire() {
        retired = true;
        if (openCalls.compareAndSet(0, -1)) {
            closeInstances();
        }
    }

    /** Closes at once (shutdown, or a version that failed to load). */
    void close() {
        openCalls.set(-1);
        closeInstances();
    }

    private void closeInstances() {
        for (int i = 0; i < instances.length(); i++) {
            ExtismInstance instance = instances.getAndSet(i, null);
            if (instance != null) {
                instance.close();
            }
        }
    }

    public ExtismModuleSpec spec() {
        return spec;
    }

    /** The functions the plugin exports. */
    public Set<String> functions() {
        return functions;
    }

    public FailurePolicy failurePolicy() {
        return spec.failurePolicy();
    }

    public Instant loadedAt() {
        return loadedAt;
    }

    public long loadMillis() {
        return loadMillis;
    }

    /** How many instances this version has. */
    public int instanceCount() {
        return instances.length();
    }

    /** How many of its instances are broken and not yet replaced. */
    public int brokenInstanceCount() {
        int broken = 0;
        for (int i = 0; i < instances.length(); i++) {
            ExtismInstance instance = instances.get(i);
            broken += instance == null || instance.broken() ? 1 : 0;
        }
        return broken;
    }

    /** How many broken instances were replaced. */
    public long replacedInstanceCount() {
        return replaced.get();
    }

    long openCalls() {
        return Math.max(0, openCalls.get());
    }
}
