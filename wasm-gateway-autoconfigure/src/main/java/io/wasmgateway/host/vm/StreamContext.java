package io.wasmgateway.host.vm;

import io.wasmgateway.host.BrokenInstanceException;
import io.wasmgateway.host.Decision;
import io.wasmgateway.host.FailurePolicy;
import io.wasmgateway.host.HeaderMap;
import io.wasmgateway.host.HttpContext;
import io.wasmgateway.host.LocalResponse;
import io.wasmgateway.host.StreamHost;
import io.wasmgateway.host.abi.AbiBuffer;
import io.wasmgateway.host.abi.AbiContext;
import io.wasmgateway.host.abi.BufferType;
import io.wasmgateway.host.abi.MapType;
import io.wasmgateway.host.abi.PluginInfo;
import io.wasmgateway.host.abi.Status;
import io.wasmgateway.host.abi.StreamType;
import io.wasmgateway.host.vm.GuestCallbacks.Callback;
import io.wasmgateway.host.vm.VmInstance.ContextWork;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.function.Function;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One request's HTTP context in one plugin, on the VM instance chosen when it was created. Its callbacks run on
 * that VM's lane; fields marked "lane" are only touched there. proxy_on_context_create runs with the first
 * callback.
 *
 * <p>Pausing: a header callback returning Pause (1, or Envoy's StopAllIteration 3/4) completes its stage with
 * {@link Decision#PAUSE}; a later proxy_continue_stream for that stream or a local response completes
 * {@link #resumption()}, after the callback that asked for it returns. A local response recorded during a
 * header callback wins over its return value.
 *
 * <p>proxy_close_stream is answered as a local 502 reply with details {@code closed_by_wasm}: the gateway has
 * no way to reset a stream mid-flight, and a reply tells the client the request failed.
 *
 * <p>Finishing is counted once without an atomic operation: the first finish to reach the lane marks the context
 * finished there, and the call that did so counts it off its instance and its module.
 */
final class StreamContext extends HttpContext implements AbiContext {

    private static final LocalResponse CLOSED = new LocalResponse(502, "closed_by_wasm", new byte[0], List.of(), -1);

    /** A body before its first callback: empty and unchangeable, as Envoy's buffer over no body yet. */
    private static final AbiBuffer NO_BODY_YET = AbiBuffer.readOnly(new byte[0]);

    private static final VarHandle LEFT = handle("left");
    private static final VarHandle RELEASED = handle("released");

    /** Finishing on the lane: the guest's last callbacks, or (on a broken instance) only the mark. */
    private static final ContextWork<StreamContext, Boolean> FINISH = (self, ignored) -> self.finishOnLane(true);
    private static final ContextWork<StreamContext, Boolean> FINISH_BROKEN = (self, ignored) -> self
        .finishOnLane(false);

    /** How long a request whose instance broke before it started waits for a healthy one (tries x pause). */
    private static final int MOVE_TRIES = 400;
    private static final long MOVE_PAUSE_MILLIS = 5;

    // volatile: changed once at most: under none when the first callback finds the instance broken (see
    // startElsewhere), under stream once the request's instance is ready (see bind)
    private volatile VmInstance vm;
    private volatile RootContext root;
    private final StreamHost host;
    private final StreamPool.Lease lease; // isolation stream: the request's instance; null under none
    private final PluginRuntime plugin; // where to find a healthy or a request instance; null: stays put
    private final CompletableFuture<StreamContext> bound; // isolation stream: completes once vm and root are set
    private volatile int released; // isolation stream: 1 once the lease went back (no AtomicBoolean per request)
    private final StreamPool pool;
    private int id; // lane
    private boolean finished; // lane
    private LocalResponse localResponse; // lane
    private boolean localResponseDelivered; // lane
    private int continueRequested; // lane: bit (1 << stream type) set by proxy_continue_stream
    private BodyBuffer requestBody; // lane
    private BodyBuffer responseBody; // lane
    private int pausedStream = -1; // lane
    private volatile CompletableFuture<Decision> resumption;
    private final Runnable whenFinished; // the module's count of open contexts
    // lane-written (release store), read by a move to a healthy instance: 1 once the first finish reached the lane
    private volatile int left;

    RootContext root() {
        return root;
    }

    StreamContext(VmInstance vm, RootContext root, StreamHost host, PluginRuntime plugin, Runnable whenFinished) {
        this.vm = vm;
        this.root = root;
        this.host = host;
        this.plugin = plugin;
        this.whenFinished = whenFinished;
        this.lease = null;
        this.bound = null;
        this.pool = null;
    }

    /** Under isolation stream: on the request's leased instance, bound when the pool hands it over. */
    StreamContext(PluginRuntime plugin, StreamHost host, StreamPool pool, StreamPool.Lease lease,
            Runnable whenFinished) {
        this.host = host;
        this.lease = lease;
        this.plugin = plugin;
        this.pool = pool;
        this.whenFinished = whenFinished;
        this.bound = lease.instance().thenApply(this::rebind);
    }

    private static VarHandle handle(String field) {
        try {
            return MethodHandles.lookup().findVarHandle(StreamContext.class, field, int.class);
        }
        catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    public FailurePolicy failurePolicy() {
        return plugin.failurePolicy();
    }

    @Override
    public boolean handlesRequestBody() {
        return plugin.handlesRequestBody();
    }

    @Override
    public boolean handlesResponseBody() {
        return plugin.handlesResponseBody();
    }

    /**
     * The one late-binding step, always before the context's first callback: it moves to {@code instance} (under
     * isolation stream the request's leased instance, once the pool hands it over; under none a healthy instance,
     * when its own broke before the context started).
     */
    private StreamContext rebind(VmInstance instance) {
        RootContext rootOnIt = instance.rootOf(plugin);
        if (rootOnIt == null) {
            throw new IllegalStateException("wasm module '" + instance.moduleName()
                    + "' has no root context for root id '" + plugin.rootId() + "' on "
                    + (lease != null ? "its request instance" : "VM instance " + instance.index()));
        }
        VmInstance before = vm;
        if (lease == null) {
            instance.use().opened(); // under none an instance counts its contexts (recycling drains them)
        }
        root = rootOnIt;
        vm = instance;
        if (lease == null && before != null) {
            before.use().finished();
        }
        return this;
    }

    /** Whether the callbacks can run now: always under isolation none, once bound under stream. */
    private boolean isBound() {
        return bound == null || bound.isDone() && !bound.isCompletedExceptionally();
    }

    @Override
    public CompletionStage<Decision> onRequestHeaders(boolean endOfStream) {
        if (!isBound()) {
            return bound.thenCompose(self -> self.onRequestHeaders(endOfStream));
        }
        CompletionStage<Decision> stage = vm.executor().runStage(GuestCallbacks.ON_REQUEST_HEADERS, this, endOfStream,
                (self, end) -> self.headers(StreamType.HTTP_REQUEST, GuestCallbacks.ON_REQUEST_HEADERS, end), null);
        return settled(stage) ? stage : rebindIfSkipped(stage, self -> self.onRequestHeaders(endOfStream));
    }

    @Override
    public CompletionStage<Decision> onResponseHeaders(boolean endOfStream) {
        if (!isBound()) {
            return bound.thenCompose(self -> self.onResponseHeaders(endOfStream));
        }
        CompletionStage<Decision> stage = vm.executor().runStage(GuestCallbacks.ON_RESPONSE_HEADERS, this, endOfStream,
                (self, end) -> self.headers(StreamType.HTTP_RESPONSE, GuestCallbacks.ON_RESPONSE_HEADERS, end), null);
        return settled(stage) ? stage : rebindIfSkipped(stage, self -> self.onResponseHeaders(endOfStream));
    }

    @Override
    public CompletionStage<Decision> onRequestBody(AbiBuffer chunk, boolean endOfStream) {
        return onBody(StreamType.HTTP_REQUEST, chunk, endOfStream);
    }

    @Override
    public CompletionStage<Decision> onResponseBody(AbiBuffer chunk, boolean endOfStream) {
        return onBody(StreamType.HTTP_RESPONSE, chunk, endOfStream);
    }

    private CompletionStage<Decision> onBody(int stream, AbiBuffer chunk, boolean endOfStream) {
        Callback callback = stream == StreamType.HTTP_REQUEST ? GuestCallbacks.ON_REQUEST_BODY
                : GuestCallbacks.ON_RESPONSE_BODY;
        if (!isBound()) {
            return bound.thenCompose(self -> self.onBody(stream, chunk, endOfStream));
        }
        CompletionStage<Decision> stage = vm.executor().runStage(callback, this, endOfStream,
                (self, end) -> self.body(stream, callback, chunk, end), null);
        return settled(stage) ? stage : rebindIfSkipped(stage, self -> self.onBody(stream, chunk, endOfStream));
    }

    // ---- a request whose instance broke before its first callback ran starts on a healthy one ----

    /** The common case, checked without allocating: the callback ran (inline) and succeeded. */
    private boolean settled(CompletionStage<?> stage) {
        return id != 0 || plugin == null || lease != null
                || stage instanceof CompletableFuture<?> done && done.isDone() && !done.isCompletedExceptionally();
    }

    /**
     * Only a context that has not started (no callback of it ran on its instance: no state of the request died
     * with it) moves: when its first callback was skipped because the instance had broken (queued on its lane
     * behind the trap, or created on it just before), it runs again on a healthy instance of the module (waiting
     * for the broken one's replacement when there is none yet). Any other failure stays the request's.
     */
    private <T> CompletionStage<T> rebindIfSkipped(CompletionStage<T> stage,
            Function<StreamContext, CompletionStage<T>> again) {
        CompletableFuture<T> result = new CompletableFuture<>();
        stage.whenComplete((value, error) -> {
            Throwable cause = Traps.unwrap(error);
            if (cause == null) {
                result.complete(value);
            } else if (cause instanceof BrokenInstanceException && id == 0 && left == 0) {
                CompletableFuture<StreamContext> moved = new CompletableFuture<>();
                moveToHealthy(moved, cause, MOVE_TRIES);
                moved.thenCompose(again).whenComplete((rerun, failure) -> {
                    if (failure == null) {
                        result.complete(rerun);
                    } else {
                        result.completeExceptionally(Traps.unwrap(failure));
                    }
                });
            } else {
                result.completeExceptionally(cause);
            }
        });
        return result;
    }

    /** Rebinds to a healthy instance once there is one (the broken one's replacement, at worst), or fails. */
    private void moveToHealthy(CompletableFuture<StreamContext> moved, Throwable cause, int tries) {
        VmInstance healthy = plugin.healthyInstance();
        if (healthy != null && left == 0) {
            moved.complete(rebind(healthy));
            return;
        }
        if (tries == 0 || left != 0) {
            moved.completeExceptionally(cause);
            return;
        }
        try {
            vm.services().scheduler().schedule(() -> moveToHealthy(moved, cause, tries - 1), MOVE_PAUSE_MILLIS,
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            moved.completeExceptionally(cause);
        }
    }

    /**
     * The latest pause's outcome (kept after it completes, so a caller arriving late still sees a local
     * response); an already completed {@link Decision#CONTINUE} before any pause.
     */
    @Override
    public CompletionStage<Decision> resumption() {
        CompletableFuture<Decision> current = resumption;
        return current != null ? current : CompletedStages.of(Decision.CONTINUE);
    }

    /**
     * proxy_on_done, proxy_on_log, proxy_on_delete, once (later calls run nothing on the guest); skipped (and
     * successful) on a broken VM. Whichever call it is, its stage completes after the guest calls have run.
     */
    @Override
    public CompletionStage<Void> finish() {
        if (lease == null) {
            return counted(finishOnInstance());
        }
        if (!isBound()) {
            // never bound (the pool could not make an instance) or not yet: finish once it is, then release
            return bound.handle((self, error) -> error == null ? self.finishOnInstance().thenApply(first -> (Void) null)
                    : CompletableFuture.<Void>completedStage(null))
                .thenCompose(stage -> stage)
                .whenComplete((ignored, error) -> releaseLease());
        }
        return finishOnInstance().thenApply(first -> (Void) null).whenComplete((ignored, error) -> releaseLease());
    }

    /** True when this call is the one that finished the context (a trap in its callbacks fails the stage). */
    private CompletionStage<Boolean> finishOnInstance() {
        return vm.executor().runStage(GuestCallbacks.ON_DONE, this, false, FINISH, FINISH_BROKEN);
    }

    /**
     * Counts the context off its instance and module once the call that finished it is done (a failed stage is
     * that call's: only its guest callbacks can trap).
     */
    private CompletionStage<Void> counted(CompletionStage<Boolean> finished) {
        if (finished == CompletedStages.TRUE) { // ran inline: done already
            countFinished();
            return CompletedStages.DONE;
        }
        if (finished == CompletedStages.FALSE) {
            return CompletedStages.DONE;
        }
        return finished.handle((first, error) -> {
            if (error != null || first) {
                countFinished();
            }
            return error;
        }).thenCompose(error -> error == null ? CompletedStages.DONE : CompletableFuture.failedStage(Traps.unwrap(error)));
    }

    private void countFinished() {
        vm.use().finished();
        whenFinished.run();
    }

    /** On the lane: marks the context finished, running its last callbacks unless the instance is broken. */
    private Boolean finishOnLane(boolean guest) {
        if (left != 0) {
            return Boolean.FALSE;
        }
        LEFT.setRelease(this, 1); // a plain store on x86: no fence per request
        if (guest) {
            finishNow();
        }
        return Boolean.TRUE;
    }

    /** Isolation stream: this context no longer needs the request's instance (once, whatever calls finish). */
    private void releaseLease() {
        if (RELEASED.compareAndSet(this, 0, 1)) {
            pool.release(lease);
            whenFinished.run(); // stream instances are not recycled: only the module counts
        }
    }

    private Decision headers(int stream, Callback callback, boolean endOfStream) {
        if (finished) {
            return Decision.CONTINUE; // the context is gone: nothing left to ask the filter
        }
        ensureCreated();
        continueRequested &= ~(1 << stream); // a continue before this callback does not resume a pause it returns
        HeaderMap headers = stream == StreamType.HTTP_REQUEST ? host.requestHeaders() : host.responseHeaders();
        int count = headers == null ? 0 : headers.size();
        Integer action = vm.call(callback, id, count, endOfStream ? 1 : 0);
        if (localResponse != null && !localResponseDelivered) {
            localResponseDelivered = true;
            return new Decision.Respond(localResponse);
        }
        if (action != null && isPause(action)) {
            // StopIteration (1) with a body to come and no call to wait for can only mean "show me the body"
            if (action == 1 && !endOfStream && handlesBody(stream) && !vm.awaitsCall(id)) {
                return Decision.AWAIT_BODY;
            }
            return pause(stream);
        }
        return Decision.CONTINUE;
    }

    /**
     * A body callback. Any non-zero status (StopIterationAndBuffer, ...AndWatermark, ...NoBuffer) holds the
     * body: nothing a filter paused on is ever dropped.
     */
    private Decision body(int stream, Callback callback, AbiBuffer chunk, boolean endOfStream) {
        if (finished) {
            return Decision.CONTINUE;
        }
        ensureCreated();
        BodyBuffer body = body(stream);
        if (body == null) {
            body = new BodyBuffer(host.maxBufferedBody());
            if (stream == StreamType.HTTP_REQUEST) {
                requestBody = body;
            } else {
                responseBody = body;
            }
        }
        if (!body.add(chunk)) {
            body.clear();
            return new Decision.BodyTooLarge(host.maxBufferedBody());
        }
        continueRequested &= ~(1 << stream);
        Integer action = vm.call(callback, id, body.size(), endOfStream ? 1 : 0);
        if (localResponse != null && !localResponseDelivered) {
            localResponseDelivered = true;
            body.clear();
            return new Decision.Respond(localResponse);
        }
        if (action != null && action != 0) {
            if (!body.hold()) {
                body.clear();
                return new Decision.BodyTooLarge(host.maxBufferedBody());
            }
            return endOfStream ? pause(stream) : Decision.PAUSE;
        }
        return passBody(body);
    }

    /** What goes on when the filter lets its body pass: the proxy's chunk, or the bytes it held or changed. */
    private static Decision passBody(BodyBuffer body) {
        if (body.changed()) {
            return new Decision.ContinueWithBody(body.take());
        }
        body.clear();
        return Decision.CONTINUE;
    }

    private Decision pause(int stream) {
        pausedStream = stream;
        resumption = new CompletableFuture<>();
        vm.touched(this); // a continue during this very callback resumes right after it
        return Decision.PAUSE;
    }

    private BodyBuffer body(int stream) {
        return stream == StreamType.HTTP_REQUEST ? requestBody : responseBody;
    }

    private boolean handlesBody(int stream) {
        return vm.exports(stream == StreamType.HTTP_REQUEST ? GuestCallbacks.ON_REQUEST_BODY
                : GuestCallbacks.ON_RESPONSE_BODY);
    }

    /** Envoy's header statuses: StopIteration (1), StopAllIterationAndBuffer (3) and ...AndWatermark (4). */
    private static boolean isPause(int action) {
        return action == 1 || action == 3 || action == 4;
    }

    private void ensureCreated() {
        if (id == 0) {
            id = vm.nextContextId();
            vm.register(this);
            vm.call(GuestCallbacks.ON_CONTEXT_CREATE, id, root.id());
        }
    }

    private void finishNow() {
        if (finished) {
            return;
        }
        finished = true;
        ensureCreated(); // as Envoy, which creates contexts up front: on_log sees every request
        vm.call(GuestCallbacks.ON_DONE, id);
        vm.call(GuestCallbacks.ON_LOG, id);
        vm.call(GuestCallbacks.ON_DELETE, id);
        vm.unregister(id);
        // As Envoy, whose http_call is the root context's: a call in flight (or made in on_done/on_log, e.g. to
        // ship a log line) goes on and is answered to the root context
        vm.handCallsToRoot(id, root.id());
    }

    /** After a callback (lane): completes a pending resumption when a continue or a local response asked. */
    void deliverResumption() {
        CompletableFuture<Decision> pending = resumption;
        if (pending == null || pending.isDone() || pausedStream < 0) {
            return;
        }
        if (localResponse != null && !localResponseDelivered) {
            localResponseDelivered = true;
            resume(pending, new Decision.Respond(localResponse));
        } else if ((continueRequested & (1 << pausedStream)) != 0) {
            // a body paused at its end goes on with what the filter held (and may have changed since)
            BodyBuffer body = body(pausedStream);
            resume(pending, body == null || body.isEmpty() ? Decision.CONTINUE : passBody(body));
        }
    }

    private void resume(CompletableFuture<Decision> pending, Decision decision) {
        pausedStream = -1;
        continueRequested = 0;
        pending.complete(decision);
    }

    void failResumption(Throwable error) {
        CompletableFuture<Decision> pending = resumption;
        if (pending != null && !pending.isDone()) {
            pending.completeExceptionally(error);
        }
    }

    // ---- AbiContext, for host functions (lane) ----

    @Override
    public int id() {
        return id;
    }

    @Override
    public PluginInfo plugin() {
        return root.plugin();
    }

    @Override
    public AbiBuffer buffer(int bufferType) {
        return switch (bufferType) {
            case BufferType.HTTP_REQUEST_BODY -> requestBody != null ? requestBody : NO_BODY_YET;
            case BufferType.HTTP_RESPONSE_BODY -> responseBody != null ? responseBody : NO_BODY_YET;
            case BufferType.VM_CONFIGURATION -> AbiBuffer.readOnly(root.vmConfiguration());
            default -> null;
        };
    }

    @Override
    public byte[] configuration() {
        return root.pluginConfiguration();
    }

    @Override
    public HeaderMap headerMap(int mapType) {
        return switch (mapType) {
            case MapType.HTTP_REQUEST_HEADERS -> host.requestHeaders();
            case MapType.HTTP_RESPONSE_HEADERS -> host.responseHeaders();
            // Spring WebFlux carries no trailers: as in Envoy for a stream without them, the maps do not exist
            // (pairs read as empty; a value, the size or a change is BAD_ARGUMENT, not an OK that is dropped)
            default -> null;
        };
    }

    @Override
    public byte[] property(List<String> path) {
        return host.property(path);
    }

    @Override
    public int setProperty(List<String> path, byte[] value) {
        return host.setProperty(path, value) ? Status.OK : Status.NOT_FOUND;
    }

    @Override
    public int sendLocalResponse(LocalResponse response) {
        if (localResponse == null) { // the first one wins; later ones are harmless
            localResponse = response;
            vm.services().observer().localResponse(vm.moduleName(), response.status());
            vm.touched(this);
        }
        return Status.OK;
    }

    @Override
    public int continueStream(int streamType) {
        continueRequested |= 1 << streamType;
        vm.touched(this);
        return Status.OK;
    }

    @Override
    public int closeStream(int streamType) {
        return sendLocalResponse(CLOSED);
    }
}
