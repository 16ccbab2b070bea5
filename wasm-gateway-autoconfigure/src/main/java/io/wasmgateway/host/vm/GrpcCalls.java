package io.wasmgateway.host.vm;

import io.wasmgateway.host.GrpcCallHandle;
import io.wasmgateway.host.GrpcCallListener;
import io.wasmgateway.host.GrpcCallRequest;
import io.wasmgateway.host.HeaderList;
import io.wasmgateway.host.HeaderMap;
import io.wasmgateway.host.abi.AbiBuffer;
import io.wasmgateway.host.abi.AbiContext;
import io.wasmgateway.host.abi.AbiGrpc;
import io.wasmgateway.host.abi.Limits;
import io.wasmgateway.host.abi.MapType;
import io.wasmgateway.host.abi.Status;
import io.wasmgateway.host.vm.GuestCallbacks.Callback;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One VM's gRPC calls and streams (lane only). What a filter asks during a callback (start, send, close,
 * cancel) is recorded and carried out when the callback has returned ({@link #flush}); what the server sends is
 * handed to the lane and delivered to the root context of the context that made the call, as Envoy does (the
 * SDKs switch back to the caller with proxy_set_effective_context). As in Envoy, a unary call gets no metadata
 * callbacks: its message through proxy_on_grpc_receive when it succeeds, else only proxy_on_grpc_close. A
 * context's calls end with it.
 */
final class GrpcCalls implements AbiGrpc {

    // Envoy's callout ids (proxy-wasm-cpp-host wasm.h): the type in the low two bits, HTTP calls 0
    private static final int CALL = 1;
    private static final int STREAM = 2;
    private static final int TYPE_MASK = 3;
    private static final int STEP = 4;

    private static final int INTERNAL = 13; // gRPC status: a unary call closed OK without a message

    private final VmInstance vm;
    private final Map<Integer, Call> calls = new HashMap<>();
    private final List<Call> toFlush = new ArrayList<>(2);
    private final List<GrpcCallHandle> toCancel = new ArrayList<>(1);
    private int lastCallToken = CALL - STEP;
    private int lastStreamToken = STREAM - STEP;

    // what the guest reads during a delivery: maps 4 and 5, buffer 5, proxy_get_status
    private HeaderMap deliveredMetadata;
    private int deliveredMetadataType = -1;
    private byte[] deliveredMessage;
    private int deliveredStatus;
    private String deliveredStatusMessage = "";

    GrpcCalls(VmInstance vm) {
        this.vm = vm;
    }

    private sealed interface Op permits Send, HalfClose {
    }

    private record Send(byte[] message, boolean endOfStream) implements Op {
    }

    private record HalfClose() implements Op {
    }

    /** One call or stream; also its listener, whose events it hands to the lane. */
    private final class Call implements GrpcCallListener {
        final int token;
        final int contextId;
        final GrpcCallRequest request;
        final ArrayDeque<Op> ops = new ArrayDeque<>(2);
        GrpcCallHandle handle; // once started
        boolean localClosed;
        boolean remoteClosed;
        byte[] unaryAnswer;

        Call(int token, int contextId, GrpcCallRequest request) {
            this.token = token;
            this.contextId = contextId;
            this.request = request;
        }

        @Override
        public void onInitialMetadata(List<Map.Entry<String, String>> metadata) {
            vm.executor().execute(() -> initialMetadata(this, metadata));
        }

        @Override
        public void onMessage(byte[] message) {
            vm.executor().execute(() -> message(this, message));
        }

        @Override
        public void onClose(int status, String message, List<Map.Entry<String, String>> trailers) {
            vm.executor().execute(() -> closed(this, status, message == null ? "" : message, trailers));
        }
    }

    // ---- AbiGrpc, from host functions (inside a callback) ----

    @Override
    public int start(GrpcCallRequest request) {
        int contextId = vm.effectiveContext().id();
        if (contextId == 0 || openFor(contextId) >= Limits.MAX_GRPC_CALLS_PER_CONTEXT) {
            return 0;
        }
        int token;
        if (request.isUnary()) {
            do {
                lastCallToken += STEP; // keeps the low bits, also when it wraps around
            } while (calls.containsKey(lastCallToken));
            token = lastCallToken;
        } else {
            do {
                lastStreamToken += STEP;
            } while (calls.containsKey(lastStreamToken));
            token = lastStreamToken;
        }
        Call call = new Call(token, contextId, request);
        calls.put(token, call);
        toFlush.add(call);
        return token;
    }

    @Override
    public int send(int token, byte[] message, boolean endOfStream) {
        if ((token & TYPE_MASK) != STREAM) {
            return Status.BAD_ARGUMENT;
        }
        Call call = calls.get(token);
        if (call == null) {
            return Status.NOT_FOUND;
        }
        if (call.localClosed) {
            return Status.BAD_ARGUMENT; // nothing can be sent after the end of the stream
        }
        call.localClosed = endOfStream;
        enqueue(call, new Send(message, endOfStream));
        return Status.OK;
    }

    @Override
    public int close(int token) {
        int type = token & TYPE_MASK;
        if (type == CALL) {
            return cancel(token); // Envoy: closing a unary call cancels it
        }
        if (type != STREAM) {
            return Status.BAD_ARGUMENT;
        }
        Call call = calls.get(token);
        if (call == null) {
            return Status.NOT_FOUND;
        }
        if (call.remoteClosed) {
            calls.remove(token); // both sides are done
            return Status.OK;
        }
        if (!call.localClosed) {
            call.localClosed = true;
            enqueue(call, new HalfClose());
        }
        return Status.OK;
    }

    @Override
    public int cancel(int token) {
        int type = token & TYPE_MASK;
        if (type != CALL && type != STREAM) {
            return Status.BAD_ARGUMENT;
        }
        Call call = calls.remove(token);
        if (call == null) {
            return Status.NOT_FOUND;
        }
        drop(call, false);
        return Status.OK;
    }

    @Override
    public int statusCode() {
        return deliveredStatus;
    }

    @Override
    public String statusMessage() {
        return deliveredStatusMessage;
    }

    // ---- for the VM (lane) ----

    /** Maps 4 and 5 while their callback runs, else null (NOT_FOUND). */
    HeaderMap metadata(int mapType) {
        return mapType == deliveredMetadataType ? deliveredMetadata : null;
    }

    /** Buffer 5 while proxy_on_grpc_receive runs, else null. */
    AbiBuffer message() {
        return deliveredMessage == null ? null : AbiBuffer.readOnly(deliveredMessage);
    }

    /** Whether the context waits for an answer of one of its calls or streams. */
    boolean awaits(int contextId) {
        if (calls.isEmpty()) {
            return false;
        }
        for (Call call : calls.values()) {
            if (call.contextId == contextId && !call.remoteClosed) {
                return true;
            }
        }
        return false;
    }

    /** Whether the callback that just returned asked for something {@link #flush} carries out. */
    boolean anyToFlush() {
        return !toFlush.isEmpty() || !toCancel.isEmpty();
    }

    /** Carries out what the callback that just returned asked: never from inside guest code. */
    void flush() {
        if (toFlush.isEmpty() && toCancel.isEmpty()) {
            return; // the common case
        }
        if (!toCancel.isEmpty()) {
            List<GrpcCallHandle> handles = List.copyOf(toCancel);
            toCancel.clear();
            for (GrpcCallHandle handle : handles) {
                cancelQuietly(handle);
            }
        }
        List<Call> pending = List.copyOf(toFlush);
        toFlush.clear();
        for (Call call : pending) {
            if (calls.get(call.token) != call) {
                continue; // cancelled meanwhile
            }
            if (call.handle == null && !startNow(call)) {
                continue;
            }
            try {
                for (Op op; (op = call.ops.poll()) != null;) {
                    if (op instanceof Send send) {
                        call.handle.send(send.message(), send.endOfStream());
                    } else {
                        call.handle.halfClose();
                    }
                }
            } catch (RuntimeException e) {
                vm.logger().warn("gRPC stream to '{}' refused a message", call.request.cluster(), e);
                call.ops.clear();
                call.handle.cancel();
            }
        }
    }

    void cancelFor(int contextId) {
        if (calls.isEmpty()) {
            return;
        }
        for (Iterator<Call> all = calls.values().iterator(); all.hasNext();) {
            Call call = all.next();
            if (call.contextId == contextId) {
                all.remove();
                drop(call, true);
            }
        }
    }

    void cancelAll() {
        List<Call> all = List.copyOf(calls.values());
        calls.clear();
        all.forEach(call -> drop(call, true));
        toFlush.clear();
    }

    // ---- internals ----

    private boolean startNow(Call call) {
        try {
            call.handle = vm.services().grpcCalls().start(call.request, call);
            return true;
        } catch (RuntimeException e) {
            vm.logger().warn("gRPC call to '{}' could not start", call.request.cluster(), e);
            call.handle = GrpcCallHandle.NONE;
            call.onClose(14, "the call could not start: " + e, List.of()); // UNAVAILABLE
            return false;
        }
    }

    private void cancelQuietly(GrpcCallHandle handle) {
        try {
            handle.cancel();
        } catch (RuntimeException e) {
            vm.logger().warn("a gRPC call could not be cancelled", e);
        }
    }

    private void enqueue(Call call, Op op) {
        call.ops.add(op);
        if (!toFlush.contains(call)) {
            toFlush.add(call);
        }
    }

    /** Forgets a call: cancels it when it runs (now, when not in a callback; else after it). */
    private void drop(Call call, boolean now) {
        toFlush.remove(call);
        if (call.handle != null && !call.remoteClosed) {
            if (now) {
                cancelQuietly(call.handle);
            } else {
                toCancel.add(call.handle);
            }
        }
    }

    private int openFor(int contextId) {
        int count = 0;
        for (Call call : calls.values()) {
            if (call.contextId == contextId) {
                count++;
            }
        }
        return count;
    }

    private void initialMetadata(Call call, List<Map.Entry<String, String>> metadata) {
        if (calls.get(call.token) != call || call.request.isUnary()) {
            return; // cancelled, or a unary call (no metadata callbacks, as Envoy)
        }
        deliverMetadata(call, Callback.GRPC_RECEIVE_INITIAL_METADATA, MapType.GRPC_RECEIVE_INITIAL_METADATA,
                metadata);
    }

    private void message(Call call, byte[] message) {
        if (calls.get(call.token) != call) {
            return;
        }
        if (call.request.isUnary()) {
            if (call.unaryAnswer == null) {
                call.unaryAnswer = message; // delivered with its status
            }
            return;
        }
        deliverMessage(call, message);
    }

    private void closed(Call call, int status, String statusMessage, List<Map.Entry<String, String>> trailers) {
        if (calls.get(call.token) != call) {
            return;
        }
        if (call.request.isUnary()) {
            calls.remove(call.token);
            if (status == 0 && call.unaryAnswer != null) {
                deliverMessage(call, call.unaryAnswer);
            } else {
                deliverClose(call, status == 0 ? INTERNAL : status,
                        status == 0 ? "the server answered no message" : statusMessage);
            }
            return;
        }
        call.remoteClosed = true;
        if (call.localClosed) {
            calls.remove(call.token); // both sides are done (Envoy keeps it until the filter closes it)
        }
        if (trailers != null && !trailers.isEmpty()) {
            deliverMetadata(call, Callback.GRPC_RECEIVE_TRAILING_METADATA, MapType.GRPC_RECEIVE_TRAILING_METADATA,
                    trailers);
        }
        deliverClose(call, status, statusMessage);
    }

    private void deliverMetadata(Call call, Callback callback, int mapType, List<Map.Entry<String, String>> pairs) {
        AbiContext root = vm.liveRootOf(call.contextId);
        if (root == null) {
            return;
        }
        HeaderList map = new HeaderList();
        map.replaceAll(pairs);
        vm.executor().runDetached(callback, root, () -> {
            deliveredMetadata = map;
            deliveredMetadataType = mapType;
            try {
                return vm.call(callback, root.id(), call.token, map.size());
            } finally {
                deliveredMetadata = null;
                deliveredMetadataType = -1;
            }
        });
    }

    private void deliverMessage(Call call, byte[] message) {
        AbiContext root = vm.liveRootOf(call.contextId);
        if (root == null) {
            return;
        }
        vm.executor().runDetached(Callback.GRPC_RECEIVE, root, () -> {
            deliveredMessage = message;
            try {
                return vm.call(Callback.GRPC_RECEIVE, root.id(), call.token, message.length);
            } finally {
                deliveredMessage = null;
            }
        });
    }

    private void deliverClose(Call call, int status, String statusMessage) {
        AbiContext root = vm.liveRootOf(call.contextId);
        if (root == null) {
            return;
        }
        vm.executor().runDetached(Callback.GRPC_CLOSE, root, () -> {
            deliveredStatus = status;
            deliveredStatusMessage = statusMessage;
            try {
                return vm.call(Callback.GRPC_CLOSE, root.id(), call.token, status);
            } finally {
                deliveredStatus = 0;
                deliveredStatusMessage = "";
            }
        });
    }
}
