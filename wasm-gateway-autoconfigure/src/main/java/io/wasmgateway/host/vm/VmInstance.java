package io.wasmgateway.host.vm;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.types.NameCustomSection;

import io.wasmgateway.host.AbiVersion;
import io.wasmgateway.host.BrokenInstanceException;
import io.wasmgateway.host.CallbackObserver;
import io.wasmgateway.host.HeaderList;
import io.wasmgateway.host.HeaderMap;
import io.wasmgateway.host.HostServices;
import io.wasmgateway.host.HttpCallRequest;
import io.wasmgateway.host.HttpCallResponse;
import io.wasmgateway.host.ModuleLimits;
import io.wasmgateway.host.RedisCallRequest;
import io.wasmgateway.host.RedisCallResponse;
import io.wasmgateway.host.WasmTrapException;
import io.wasmgateway.host.abi.AbiBuffer;
import io.wasmgateway.host.abi.AbiContext;
import io.wasmgateway.host.abi.AbiGrpc;
import io.wasmgateway.host.abi.AbiVm;
import io.wasmgateway.host.abi.BufferType;
import io.wasmgateway.host.abi.GuestMemory;
import io.wasmgateway.host.abi.Limits;
import io.wasmgateway.host.abi.MapType;
import io.wasmgateway.host.abi.RedisClusterName;
import io.wasmgateway.host.abi.Status;
import io.wasmgateway.host.shared.QueueListener;
import io.wasmgateway.host.wasi.WasiHost;
import io.wasmgateway.host.vm.GuestCallbacks.Callback;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;

/**
 * One Chicory instance of a module and everything that lives in it: its contexts, its effective context, and
 * the {@link SerialLane} every guest call goes through, so the instance never runs two calls at once. State
 * marked "lane" is only touched by lane tasks. Every guest call runs under the module's execution budget (a
 * {@link CallGuard}). A trap (or a call past its budget) breaks the instance: later callbacks on it fail fast, and
 * the module is told so that it replaces the instance.
 */
public final class VmInstance implements AbiVm {

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
    private final SerialLane lane = new SerialLane();
    private final ContextTable contexts = new ContextTable(); // lane
    private final List<StreamContext> touched = new ArrayList<>(2); // lane
    private int lastContextId; // lane
    private AbiContext effective = AbiContext.NONE; // lane
    private Callback runningCallback; // lane
    private final OutboundCalls<HttpCallRequest> calls = new OutboundCalls<>(4, Limits.MAX_HTTP_CALLS_PER_CONTEXT); // lane
    private final GrpcCalls grpc = new GrpcCalls(this); // lane
    private final Map<QueueListener, RootContext> queueListeners = new LinkedHashMap<>(); // lane
    private CallAnswer answer; // lane: the outbound call answer proxy_on_http_call_response is reading
    // lane: Redis calls (callout ids of their own, as Higress) and what root contexts' proxy_redis_init said
    private final OutboundCalls<RedisCallRequest> redisCalls = new OutboundCalls<>(1,
            Limits.MAX_REDIS_CALLS_PER_CONTEXT);
    private final RedisInits redisInits = new RedisInits();
    private byte[] redisReply; // lane: the reply proxy_on_redis_call_response is reading (buffer 9)
    private volatile String brokenReason;
    private volatile boolean servedCallback; // whether a callback ever returned normally here
    private volatile int failuresBefore;
    private final CallGuard guard = new CallGuard();
    private final long callbackBudgetNanos;
    private final long coldCallbackBudgetNanos;
    private final ColdCode coldCode;
    private final long startBudgetNanos;
    private final Consumer<VmInstance> onBroken;
    private final Map<PluginRuntime, RootContext> roots = new ConcurrentHashMap<>(); // written on the lane
    private final InstanceUse use = new InstanceUse(); // any thread

    private Instance instance;
    private GuestMemory memory;
    private GuestCallbacks callbacks;
    private WasiHost wasi;
    private NameCustomSection guestNames; // the module's function names, for the guest stack of a trap

    VmInstance(ModuleIdentity identity, int index, HostServices services, ModuleLimits limits, ColdCode coldCode,
            Consumer<VmInstance> onBroken) {
        this.identity = identity;
        this.index = index;
        this.services = services;
        this.callbackBudgetNanos = limits.callbackTimeout().toNanos();
        this.coldCallbackBudgetNanos = limits.coldCallbackTimeout().toNanos();
        this.coldCode = coldCode;
        this.startBudgetNanos = limits.startTimeout().toNanos();
        this.onBroken = onBroken;
    }

    @Override
    public HostServices services() {
        return services;
    }

    /** Completes construction once Chicory has built the instance (host functions exist before it). */
    void attach(Instance instance, GuestMemory memory, GuestCallbacks callbacks, WasiHost wasi,
            NameCustomSection guestNames) {
        this.guestNames = guestNames;
        this.instance = instance;
        this.memory = memory;
        this.callbacks = callbacks;
        this.wasi = wasi;
        CallWatchdog.watch(guard);
    }

    /** Runs an instance's start function under the start budget (while it is built: no lane needed yet). */
    void runStart(Runnable start) {
        guard.enter(startBudgetNanos);
        boolean interrupted = false;
        try {
            try {
                start.run();
            } finally {
                interrupted = guard.exit();
            }
        } catch (LoadProblem problem) {
            throw interrupted ? new LoadProblem("start function " + Traps.pastBudget(startBudgetNanos,
                    "start-timeout"), problem) : problem;
        }
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
        return servedCallback;
    }

    /** How many instances of this slot failed in a row before this one was made (for the reload backoff). */
    int failuresBefore() {
        return failuresBefore;
    }

    /** Before a fresh instance takes its slot: counts what it has served from then on only. */
    void failuresBefore(int failures) {
        this.failuresBefore = failures;
        this.servedCallback = false;
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
        return brokenReason != null;
    }

    /**
     * Runs guest work on the lane with {@code context} as the effective context, completing the returned
     * future after the work returns (so nothing the guest triggers completes inside its own callback). A trap
     * completes it with {@link WasmTrapException} and breaks the instance. On a broken instance the work is
     * skipped: the future fails fast, or completes with {@code whenBroken} when one is given.
     */
    <T> CompletableFuture<T> run(Callback callback, AbiContext context, GuestWork<T> work, GuestWork<T> whenBroken) {
        return run(callback, context, callbackBudgetNanos, work, whenBroken);
    }

    /** {@link #run} under the start budget: creating and finishing root contexts. */
    <T> CompletableFuture<T> runRootWork(Callback callback, AbiContext context, GuestWork<T> work,
            GuestWork<T> whenBroken) {
        return run(callback, context, startBudgetNanos, work, whenBroken);
    }

    /**
     * {@link #run}, for the callbacks of every request: when the lane is free the work runs inline and its result
     * comes back as an already completed stage ({@link CompletedStages}: a shared one for the common decisions),
     * so no future is made or completed.
     */
    <C extends AbiContext, T> CompletionStage<T> runStage(Callback callback, C context, boolean endOfStream,
            ContextWork<C, T> work, ContextWork<C, T> whenBroken) {
        if (!lane.tryEnter()) {
            return runQueued(callback, context, endOfStream, callbackBudgetNanos, work, whenBroken);
        }
        try {
            return CompletedStages.of(runNow(callback, context, endOfStream, callbackBudgetNanos, work, whenBroken));
        } catch (WasmTrapException trap) {
            return CompletableFuture.failedFuture(trap); // a full future: StreamContext asks whether it is done
        } finally {
            lane.leave();
        }
    }

    private <T> CompletableFuture<T> run(Callback callback, AbiContext context, long budgetNanos, GuestWork<T> work,
            GuestWork<T> whenBroken) {
        if (!lane.tryEnter()) {
            return runQueued(callback, context, false, budgetNanos, work, whenBroken);
        }
        try { // free: run inline (no task to allocate and queue)
            return CompletableFuture.completedFuture(runNow(callback, context, false, budgetNanos, work, whenBroken));
        } catch (WasmTrapException trap) {
            return CompletableFuture.failedFuture(trap);
        } finally {
            lane.leave();
        }
    }

    private <C extends AbiContext, T> CompletableFuture<T> runQueued(Callback callback, C context,
            boolean endOfStream, long budgetNanos, ContextWork<C, T> work, ContextWork<C, T> whenBroken) {
        CompletableFuture<T> result = new CompletableFuture<>();
        lane.execute(() -> {
            try {
                result.complete(runNow(callback, context, endOfStream, budgetNanos, work, whenBroken));
            } catch (WasmTrapException trap) {
                result.completeExceptionally(trap);
            }
        });
        return result;
    }

    /** A lane task's guest work whose outcome nobody waits for (a trap has broken the instance already). */
    private void runDetached(Callback callback, AbiContext context, GuestWork<?> work) {
        try {
            runNow(callback, context, false, callbackBudgetNanos, work, (ignoredContext, ignoredEnd) -> null);
        } catch (WasmTrapException ignored) {
            // logged and handled by runNow
        }
    }

    /**
     * Runs the work now (lane), then what it asked for: resumptions and outbound calls.
     *
     * @return what the work returned, or {@code whenBroken}'s value on a broken instance
     * @throws WasmTrapException when the work traps or runs past its budget (the instance is broken then), or
     *     when the instance is broken and there is no {@code whenBroken}
     */
    private <C extends AbiContext, T> T runNow(Callback callback, C context, boolean endOfStream, long budgetNanos,
            ContextWork<C, T> work, ContextWork<C, T> whenBroken) {
        if (brokenReason != null) {
            if (whenBroken != null) {
                return whenBroken.run(context, endOfStream);
            }
            throw new BrokenInstanceException("wasm module '" + identity.name() + "' cannot run " + callback
                    + ": its VM instance broke on an earlier trap (" + brokenReason + ")");
        }
        T value;
        effective = context;
        runningCallback = callback;
        long start = clock();
        boolean interrupted = false;
        boolean callbackBudget = budgetNanos == callbackBudgetNanos;
        long budget = callbackBudget ? coldCode.budget(budgetNanos, coldCallbackBudgetNanos) : budgetNanos;
        try {
            guard.enter(budget);
            try {
                value = work.run(context, endOfStream);
            } finally {
                interrupted = guard.exit(); // before anything else runs on this thread
            }
        } catch (Throwable error) {
            services.observer().callback(identity.name(), callback.exportName(), clock() - start, true);
            String where = runningCallback.exportName();
            String reason = interrupted ? Traps.pastBudget(budget, !callbackBudget ? "start-timeout"
                    : budget == budgetNanos ? "callback-timeout" : "cold-callback-timeout") : Traps.reason(error);
            String stack = GuestStack.describe(error, guestNames);
            if (stack != null) {
                reason += " (guest stack: " + stack + ")";
            }
            breakOn(where + ": " + reason);
            failPendingResumptions();
            calls.cancelAll();
            grpc.cancelAll();
            redisCalls.cancelAll();
            onBroken.accept(this);
            throw identity.trap(where, reason, error);
        } finally {
            effective = AbiContext.NONE;
            runningCallback = null;
        }
        services.observer().callback(identity.name(), callback.exportName(), clock() - start, false);
        if (!servedCallback) {
            servedCallback = true; // written once: a volatile store on every callback would cost a fence each
        }
        deliverResumptions();
        startCalls();
        grpc.flush();
        if (redisCalls.anyToStart()) {
            startRedisCalls();
        }
        return value;
    }

    /** Callback durations are for the observer: without one, skip reading the clock (twice per callback). */
    private long clock() {
        return services.observer() == CallbackObserver.NONE ? 0 : System.nanoTime();
    }

    // ---- outbound calls and timers (lane) ----

    /** The answer of an outbound call as the guest reads it: maps 6 and 7, buffer 4. */
    private record CallAnswer(HeaderMap headers, HeaderMap trailers, byte[] body) {

        static CallAnswer of(HttpCallResponse response) {
            HeaderList headers = new HeaderList();
            headers.replaceAll(response.headers());
            HeaderList trailers = new HeaderList();
            trailers.replaceAll(response.trailers());
            return new CallAnswer(headers, trailers, response.body());
        }
    }

    /** Starts the calls the callback that just returned recorded: never from inside guest code. */
    private void startCalls() {
        if (!calls.anyToStart()) {
            return; // the common case: no iterator to make
        }
        for (OutboundCalls.Call<HttpCallRequest> call : calls.takeToStart()) {
            Runnable cancel;
            try {
                cancel = services.httpCalls().dispatch(call.request(), response -> answer(call.token(), response));
            } catch (RuntimeException e) {
                identity.logger().warn("outbound call to '{}' could not start", call.request().upstream(), e);
                answer(call.token(), HttpCallResponse.failed());
                continue;
            }
            calls.started(call.token(), cancel);
        }
    }

    /** Delivers an answer (from any thread) through proxy_on_http_call_response on the calling context. */
    private void answer(int token, HttpCallResponse response) {
        lane.execute(() -> {
            Integer contextId = calls.answered(token);
            AbiContext context = contextId == null ? null : contexts.get(contextId);
            if (context == null) {
                return; // cancelled, or its context is gone
            }
            // As Envoy: the answer goes to the root context (SDKs map the token to the calling context and
            // make it effective themselves; the Go SDK looks the root context up by this id).
            AbiContext root = context instanceof StreamContext stream ? stream.root() : context;
            CallAnswer delivered = response.isFailed() ? new CallAnswer(null, null, null) : CallAnswer.of(response);
            runDetached(GuestCallbacks.ON_HTTP_CALL_RESPONSE, root, () -> {
                answer = delivered;
                try {
                    return call(GuestCallbacks.ON_HTTP_CALL_RESPONSE, root.id(), token,
                            delivered.headers() == null ? 0 : delivered.headers().size(),
                            delivered.body() == null ? 0 : delivered.body().length,
                            delivered.trailers() == null ? 0 : delivered.trailers().size());
                } finally {
                    answer = null;
                }
            });
        });
    }

    /** Whether the context waits for the answer of an outbound call (lane). */
    boolean awaitsCall(int contextId) {
        return calls.inFlightFor(contextId) > 0 || grpc.awaits(contextId) || redisCalls.inFlightFor(contextId) > 0;
    }

    /** An HTTP context's HTTP calls outlive it: its root context owns and is answered them (lane). */
    void handCallsToRoot(int contextId, int rootContextId) {
        calls.handOver(contextId, rootContextId);
        redisCalls.cancelFor(contextId);
    }

    // ---- Redis calls (lane) ----

    /** Starts the Redis calls the callback that just returned recorded. */
    private void startRedisCalls() {
        for (OutboundCalls.Call<RedisCallRequest> call : redisCalls.takeToStart()) {
            Runnable cancel;
            try {
                cancel = services.redisCalls().dispatch(call.request(), reply -> answerRedis(call.token(), reply));
            } catch (RuntimeException e) {
                identity.logger().warn("Redis call to '{}' could not start", call.request().cluster(), e);
                answerRedis(call.token(), RedisCallResponse.failed(RedisCallResponse.NETWORK_ERROR));
                continue;
            }
            redisCalls.started(call.token(), cancel);
        }
    }

    /** Delivers a Redis reply (from any thread) through proxy_on_redis_call_response on the caller's root. */
    private void answerRedis(int token, RedisCallResponse response) {
        lane.execute(() -> {
            Integer contextId = redisCalls.answered(token);
            AbiContext context = contextId == null ? null : contexts.get(contextId);
            if (context == null) {
                return; // cancelled, or its context is gone
            }
            AbiContext root = context instanceof StreamContext stream ? stream.root() : context;
            runDetached(GuestCallbacks.ON_REDIS_CALL_RESPONSE, root, () -> {
                redisReply = response.isFailed() ? null : response.reply();
                try {
                    return call(GuestCallbacks.ON_REDIS_CALL_RESPONSE, root.id(), token, response.status(),
                            response.reply().length);
                } finally {
                    redisReply = null;
                }
            });
        });
    }

    /** When the module closes (lane): no more calls, no more wake-ups. */
    void stopBackgroundWork() {
        calls.cancelAll();
        grpc.cancelAll();
        redisCalls.cancelAll();
        queueListeners.keySet().forEach(services.sharedQueues()::removeListener);
        queueListeners.clear();
    }

    /** A released root context's queue registrations end with it (lane). */
    void stopQueues(RootContext root) {
        queueListeners.entrySet().removeIf(entry -> {
            if (entry.getValue() != root) {
                return false;
            }
            services.sharedQueues().removeListener(entry.getKey());
            return true;
        });
    }

    /** How many plugins have a root context here. */
    int rootCount() {
        return roots.size();
    }

    /** Runs proxy_on_tick on the root context (from the timer thread: only hands the tick to the lane). */
    private void tick(RootContext root) {
        if (!root.claimTick()) {
            return;
        }
        lane.execute(() -> {
            root.tickRuns();
            if (contexts.get(root.id()) != root || brokenReason != null) {
                root.stopTick();
                return;
            }
            runDetached(GuestCallbacks.ON_TICK, root, () -> call(GuestCallbacks.ON_TICK, root.id()));
        });
    }

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
        grpc.cancelFor(contextId); // a context's gRPC calls end with it (Envoy: ~Context)
        redisInits.forgetRoot(contextId);
    }

    // ---- for GrpcCalls (lane) ----

    /** Hands work to the lane (from any thread). */
    void onLane(Runnable task) {
        lane.execute(task);
    }

    /** The root context of a live context (itself when it is one), or null when the context is gone. */
    AbiContext liveRootOf(int contextId) {
        AbiContext context = contexts.get(contextId);
        AbiContext root = context instanceof StreamContext stream ? stream.root() : context;
        return root != null && contexts.get(root.id()) == root ? root : null;
    }

    /** Runs a callback for an outbound event, whose outcome nobody waits for (lane). */
    void runEvent(Callback callback, AbiContext context, GuestWork<?> work) {
        runDetached(callback, context, work);
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
                        + "' broke while this request was paused (" + brokenReason + ")", null));
            }
        });
    }

    /** Why the instance broke, "callback: reason (guest stack: ...)", or null while it is healthy. */
    String brokenReason() {
        return brokenReason;
    }

    private void breakOn(String reason) {
        brokenReason = reason;
        identity.logger().error("VM instance {} of wasm module '{}' is broken: {}", index, identity.name(), reason);
    }

    /** Releases WASI resources (flushes a partial stdout line) and leaves the watchdog. */
    void close() {
        CallWatchdog.forget(guard);
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
        if (mapType == MapType.GRPC_RECEIVE_INITIAL_METADATA || mapType == MapType.GRPC_RECEIVE_TRAILING_METADATA) {
            return grpc.metadata(mapType);
        }
        if (mapType == MapType.HTTP_CALL_RESPONSE_HEADERS || mapType == MapType.HTTP_CALL_RESPONSE_TRAILERS) {
            if (answer == null || answer.headers() == null) {
                return null;
            }
            return mapType == MapType.HTTP_CALL_RESPONSE_HEADERS ? answer.headers() : answer.trailers();
        }
        return effective.headerMap(mapType);
    }

    @Override
    public boolean inLogCallback() {
        return runningCallback == GuestCallbacks.ON_LOG;
    }

    @Override
    public AbiBuffer buffer(int bufferType) {
        if (bufferType == BufferType.GRPC_RECEIVE_BUFFER) {
            return grpc.message();
        }
        if (bufferType == BufferType.HTTP_CALL_RESPONSE_BODY) {
            return answer == null || answer.body() == null ? null : AbiBuffer.readOnly(answer.body());
        }
        if (bufferType == BufferType.REDIS_CALL_RESPONSE) {
            return redisReply == null ? null : AbiBuffer.readOnly(redisReply);
        }
        return effective.buffer(bufferType);
    }

    @Override
    public int httpCall(HttpCallRequest request) {
        return effective.id() == 0 ? 0 : calls.record(effective.id(), request);
    }

    @Override
    public AbiGrpc grpc() {
        return grpc;
    }

    @Override
    public int redisInit(RedisClusterName name, String username, String password, long timeoutMillis) {
        RootContext root = rootOf(effective);
        if (root == null) {
            identity.logger().warn("proxy_redis_init of '{}' outside a plugin's contexts", name.cluster());
            return Status.NOT_FOUND;
        }
        int status = redisInits.init(root.id(), name, username, password, timeoutMillis);
        if (status != Status.OK) {
            identity.logger().warn("proxy_redis_init of '{}': a root context may initialise at most {} clusters",
                    name.cluster(), Limits.MAX_REDIS_INITS_PER_ROOT);
        }
        return status;
    }

    @Override
    public int redisCall(RedisClusterName name, List<byte[]> arguments) {
        RootContext root = rootOf(effective);
        RedisInits.Init init = root == null ? null : redisInits.initFor(root.id(), name);
        if (init == null) {
            identity.logger().warn("proxy_redis_call to '{}' before its root context called proxy_redis_init for it",
                    name.cluster());
            return 0;
        }
        int database = name.database() >= 0 ? name.database() : init.name().database();
        int token = redisCalls.record(effective.id(), new RedisCallRequest(name.cluster(), database,
                init.username(), init.password(), init.timeoutMillis(), arguments));
        if (token == 0) {
            identity.logger().warn("proxy_redis_call to '{}': the context has {} Redis calls in flight already",
                    name.cluster(), Limits.MAX_REDIS_CALLS_PER_CONTEXT);
        }
        return token;
    }

    @Override
    public QueueListener queueListener() {
        RootContext root = rootOf(effective);
        if (root == null || queueListeners.size() >= Limits.MAX_QUEUE_REGISTRATIONS_PER_VM) {
            return null;
        }
        QueueListener listener = queueId -> services.scheduler().execute(() -> queueReady(root, queueId));
        queueListeners.put(listener, root);
        return listener;
    }

    /** proxy_on_queue_ready on the root context that registered the queue (handed over by the timer thread). */
    private void queueReady(RootContext root, int queueId) {
        lane.execute(() -> {
            if (contexts.get(root.id()) == root) {
                runDetached(GuestCallbacks.ON_QUEUE_READY, root, () -> call(GuestCallbacks.ON_QUEUE_READY, root.id(),
                        queueId));
            }
        });
    }

    private static RootContext rootOf(AbiContext context) {
        return context instanceof RootContext root ? root
                : context instanceof StreamContext stream ? stream.root() : null;
    }

    @Override
    public int setTickPeriod(long millis) {
        RootContext root = rootOf(effective);
        if (root == null) {
            return Status.NOT_FOUND;
        }
        if (millis == 0) {
            root.stopTick();
        } else {
            root.tickWith(services.scheduler().scheduleAtFixedRate(() -> tick(root), millis, millis,
                    TimeUnit.MILLISECONDS));
        }
        return Status.OK;
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
