package io.wasmgateway.host.vm;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.types.NameCustomSection;

import io.wasmgateway.host.AbiVersion;
import io.wasmgateway.host.HeaderMap;
import io.wasmgateway.host.HostServices;
import io.wasmgateway.host.HttpCallRequest;
import io.wasmgateway.host.ModuleLimits;
import io.wasmgateway.host.WasmTrapException;
import io.wasmgateway.host.abi.AbiBuffer;
import io.wasmgateway.host.abi.AbiContext;
import io.wasmgateway.host.abi.AbiGrpc;
import io.wasmgateway.host.abi.AbiVm;
import io.wasmgateway.host.abi.GuestMemory;
import io.wasmgateway.host.abi.RedisClusterName;
import io.wasmgateway.host.shared.QueueListener;
import io.wasmgateway.host.wasi.WasiHost;
import io.wasmgateway.host.vm.GuestCallbacks.Callback;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.slf4j.Logger;

/**
 * One Chicory instance of a module and what lives in it: its contexts and their ids, its root contexts by plugin,
 * the effective context, and the ABI view host functions see ({@link AbiVm}). Its jobs are split: the
 * {@link GuestExecutor} runs every guest call (one at a time, under the budget; a trap breaks the instance and
 * the module is told so that it replaces it), the {@link CallBridge} its outbound calls, {@link RootTimers} its
 * root contexts' ticks and queue wake-ups. State marked "lane" is only touched by lane tasks.
 */
final class VmInstance implements AbiVm, GuestExecutor.Guest {

    /**
     * Work done on the lane with the guest on a context, told whether the stream ends; may throw whatever the
     * guest throws. Stream callbacks pass lambdas that capture nothing (the context and flag come as arguments),
     * so the JVM makes each once and a request's callbacks allocate no work object.
     */
    @FunctionalInterface
    interface ContextWork<C extends AbiContext, T> {
        T run(C context, boolean endOfStream);
    }

    /** {@link ContextWork} that needs neither argument. */
    @FunctionalInterface
    interface GuestWork<T> extends ContextWork<AbiContext, T> {
        T run();

        @Override
        default T run(AbiContext context, boolean endOfStream) {
            return run();
        }
    }

    private final ModuleIdentity identity;
    private final int index;
    private final HostServices services;
    private final GuestExecutor executor;
    private final CallBridge bridge = new CallBridge(this);
    private final RootTimers timers = new RootTimers(this);
    private final ContextTable contexts = new ContextTable(); // lane
    private final List<StreamContext> touched = new ArrayList<>(2); // lane
    private int lastContextId; // lane
    private AbiContext effective = AbiContext.NONE; // lane
    private Callback runningCallback; // lane
    private volatile int failuresBefore;
    private final Consumer<VmInstance> onBroken;
    private final Map<PluginRuntime, RootContext> roots = new ConcurrentHashMap<>(); // written on the lane
    private final InstanceUse use = new InstanceUse(); // any thread

    private Instance instance;
    private GuestMemory memory;
    private GuestCallbacks callbacks;
    private WasiHost wasi;

    VmInstance(ModuleIdentity identity, int index, HostServices services, ModuleLimits limits, ColdCode coldCode,
            Consumer<VmInstance> onBroken) {
        this.identity = identity;
        this.index = index;
        this.services = services;
        this.executor = new GuestExecutor(identity, index, services.observer(), limits, coldCode);
        this.onBroken = onBroken;
    }

    @Override
    public HostServices services() {
        return services;
    }

    /** Completes construction once Chicory has built the instance (host functions exist before it). */
    void attach(Instance instance, GuestMemory memory, GuestCallbacks callbacks, WasiHost wasi,
            NameCustomSection guestNames) {
        this.instance = instance;
        this.memory = memory;
        this.callbacks = callbacks;
        this.wasi = wasi;
        executor.attach(this, guestNames);
    }

    /** What runs its guest calls. */
    GuestExecutor executor() {
        return executor;
    }

    /** Runs an instance's start function under the start budget (while it is built: no lane needed yet). */
    void runStart(Runnable start) {
        executor.runStart(start);
    }

    /** This plugin's root context here, or null when it has none on this instance. */
    RootContext rootOf(PluginRuntime plugin) {
        return roots.get(plugin);
    }

    void addRoot(PluginRuntime plugin, RootContext root) {
        roots.put(plugin, root);
    }

    void removeRoot(PluginRuntime plugin) {
        roots.remove(plugin);
    }

    /** How many plugins have a root context here. */
    int rootCount() {
        return roots.size();
    }

    /** Its HTTP contexts, served and open, and its draining when it is recycled. */
    InstanceUse use() {
        return use;
    }

    /** The size of its linear memory now (read from any thread: a slightly stale size is fine). */
    long memoryBytes() {
        Memory linear = instance == null ? null : instance.memory();
        return linear == null ? 0 : (long) linear.pages() * Memory.PAGE_SIZE;
    }

    boolean servedCallback() {
        return executor.servedCallback();
    }

    /** How many instances of this slot failed in a row before this one was made (for the reload backoff). */
    int failuresBefore() {
        return failuresBefore;
    }

    /** Before a fresh instance takes its slot: counts what it has served from then on only. */
    void failuresBefore(int failures) {
        this.failuresBefore = failures;
        executor.resetServed();
    }

    ModuleIdentity identity() {
        return identity;
    }

    int index() {
        return index;
    }

    Instance instance() {
        return instance;
    }

    boolean isBroken() {
        return executor.isBroken();
    }

    /** Why the instance broke, "callback: reason (guest stack: ...)", or null while it is healthy. */
    String brokenReason() {
        return executor.brokenReason();
    }

    /** See {@link GuestExecutor#run}. */
    <T> CompletableFuture<T> run(Callback callback, AbiContext context, GuestWork<T> work, GuestWork<T> whenBroken) {
        return executor.run(callback, context, work, whenBroken);
    }

    /** See {@link GuestExecutor#runRootWork}. */
    <T> CompletableFuture<T> runRootWork(Callback callback, AbiContext context, GuestWork<T> work,
            GuestWork<T> whenBroken) {
        return executor.runRootWork(callback, context, work, whenBroken);
    }

    // ---- GuestExecutor.Guest (lane) ----

    @Override
    public void entered(Callback callback, AbiContext context) {
        effective = context;
        runningCallback = callback;
    }

    @Override
    public void left() {
        effective = AbiContext.NONE;
        runningCallback = null;
    }

    @Override
    public Callback running() {
        return runningCallback;
    }

    @Override
    public boolean hasWorkAfterReturn() {
        return !touched.isEmpty() || bridge.anyRecorded();
    }

    @Override
    public void returned() {
        deliverResumptions();
        bridge.startRecorded();
    }

    @Override
    public void broke() {
        failPendingResumptions();
        bridge.cancelAll();
        onBroken.accept(this);
    }

    // ---- contexts (lane) ----

    /** Whether the module exports that proxy_on_* callback. */
    boolean exports(Callback callback) {
        return callbacks.exports(callback);
    }

    /** Calls a proxy_on_* export (lane); remembers its name for trap messages. */
    Integer call(Callback callback, long... args) {
        runningCallback = callback;
        return callbacks.call(callback, args);
    }

    /** A fresh context id: never 0 ("none"), never one still in use, even once the counter wraps around. */
    int nextContextId() {
        do {
            lastContextId++;
        } while (lastContextId == 0 || contexts.get(lastContextId) != null);
        return lastContextId;
    }

    void register(AbiContext context) {
        contexts.put(context.id(), context);
    }

    void unregister(int contextId) {
        contexts.remove(contextId);
        bridge.forget(contextId);
    }

    /** Whether the root context is still registered here (not released, not finished). */
    boolean isLive(RootContext root) {
        return contexts.get(root.id()) == root;
    }

    /** The root context of a context (itself when it is one), or null when the context is gone. */
    AbiContext callerRoot(int contextId) {
        AbiContext context = contexts.get(contextId);
        return context instanceof StreamContext stream ? stream.root() : context;
    }

    /** The root context of a live context (itself when it is one), or null when the context or its root is gone. */
    AbiContext liveRootOf(int contextId) {
        AbiContext root = callerRoot(contextId);
        return root != null && contexts.get(root.id()) == root ? root : null;
    }

    /** Whether the context waits for the answer of an outbound call (lane). */
    boolean awaitsCall(int contextId) {
        return bridge.awaitsCall(contextId);
    }

    /** An HTTP context's HTTP calls outlive it: its root context owns and is answered them (lane). */
    void handCallsToRoot(int contextId, int rootContextId) {
        bridge.handToRoot(contextId, rootContextId);
    }

    /** When the module closes (lane): no more calls, no more wake-ups. */
    void stopBackgroundWork() {
        bridge.cancelAll();
        timers.stopAll();
    }

    /** A released root context's queue registrations end with it (lane). */
    void stopQueues(RootContext root) {
        timers.stopQueues(root);
    }

    /** A stream whose continue or local response must be delivered after the running callback returns. */
    void touched(StreamContext stream) {
        if (!touched.contains(stream)) {
            touched.add(stream);
        }
    }

    private void deliverResumptions() {
        while (!touched.isEmpty()) {
            touched.remove(touched.size() - 1).deliverResumption();
        }
    }

    private void failPendingResumptions() {
        touched.clear();
        contexts.forEach(context -> {
            if (context instanceof StreamContext stream) {
                stream.failResumption(new WasmTrapException("wasm module '" + identity.name()
                        + "' broke while this request was paused (" + executor.brokenReason() + ")", null));
            }
        });
    }

    /** Releases WASI resources (flushes a partial stdout line) and leaves the watchdog. */
    void close() {
        executor.detach();
        if (wasi != null) {
            wasi.close();
        }
    }

    // ---- AbiVm, for host functions (always called on the lane, inside a guest call) ----

    @Override
    public AbiVersion abiVersion() {
        return identity.abi();
    }

    @Override
    public String moduleName() {
        return identity.name();
    }

    @Override
    public Logger logger() {
        return identity.logger();
    }

    @Override
    public GuestMemory memory() {
        return memory;
    }

    @Override
    public AbiContext effectiveContext() {
        return effective;
    }

    @Override
    public HeaderMap headerMap(int mapType) {
        return CallBridge.isAnswerMap(mapType) ? bridge.answerMap(mapType) : effective.headerMap(mapType);
    }

    @Override
    public boolean inLogCallback() {
        return runningCallback == GuestCallbacks.ON_LOG;
    }

    @Override
    public AbiBuffer buffer(int bufferType) {
        return CallBridge.isAnswerBuffer(bufferType) ? bridge.answerBuffer(bufferType) : effective.buffer(bufferType);
    }

    @Override
    public int httpCall(HttpCallRequest request) {
        return bridge.httpCall(effective, request);
    }

    @Override
    public AbiGrpc grpc() {
        return bridge.grpc();
    }

    @Override
    public int redisInit(RedisClusterName name, String username, String password, long timeoutMillis) {
        return bridge.redisInit(rootOf(effective), name, username, password, timeoutMillis);
    }

    @Override
    public int redisCall(RedisClusterName name, List<byte[]> arguments) {
        return bridge.redisCall(effective, rootOf(effective), name, arguments);
    }

    @Override
    public QueueListener queueListener() {
        return timers.queueListener(rootOf(effective));
    }

    @Override
    public int setTickPeriod(long millis) {
        return timers.setTickPeriod(rootOf(effective), millis);
    }

    private static RootContext rootOf(AbiContext context) {
        return context instanceof RootContext root ? root
                : context instanceof StreamContext stream ? stream.root() : null;
    }

    @Override
    public void done() {
        if (effective instanceof RootContext root) {
            RootRelease.doneCalled(this, root);
        }
    }

    @Override
    public boolean setEffectiveContext(int contextId) {
        AbiContext context = contexts.get(contextId);
        if (context == null) {
            return false;
        }
        effective = context;
        return true;
    }
}
