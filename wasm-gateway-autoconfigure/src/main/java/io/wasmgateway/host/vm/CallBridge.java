package io.wasmgateway.host.vm;

import io.wasmgateway.host.HeaderList;
import io.wasmgateway.host.HeaderMap;
import io.wasmgateway.host.HttpCallRequest;
import io.wasmgateway.host.HttpCallResponse;
import io.wasmgateway.host.RedisCallRequest;
import io.wasmgateway.host.RedisCallResponse;
import io.wasmgateway.host.abi.AbiBuffer;
import io.wasmgateway.host.abi.AbiContext;
import io.wasmgateway.host.abi.BufferType;
import io.wasmgateway.host.abi.Limits;
import io.wasmgateway.host.abi.MapType;
import io.wasmgateway.host.abi.RedisClusterName;
import io.wasmgateway.host.abi.Status;

import java.util.List;

/**
 * One instance's outbound calls (HTTP, gRPC, Redis): recorded by host functions during a callback, started once
 * it has returned (never from inside guest code), answered through the calling context's root context on the
 * lane, cancelled when the instance breaks or closes. State is touched on the lane only.
 */
final class CallBridge {

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

    private final VmInstance vm;
    private final OutboundCalls<HttpCallRequest> calls = new OutboundCalls<>(4, Limits.MAX_HTTP_CALLS_PER_CONTEXT);
    private final GrpcCalls grpc;
    // Redis calls (callout ids of their own, as Higress) and what root contexts' proxy_redis_init said
    private final OutboundCalls<RedisCallRequest> redisCalls = new OutboundCalls<>(1,
            Limits.MAX_REDIS_CALLS_PER_CONTEXT);
    private final RedisInits redisInits = new RedisInits();
    private CallAnswer answer; // the outbound call answer proxy_on_http_call_response is reading
    private byte[] redisReply; // the reply proxy_on_redis_call_response is reading (buffer 9)

    CallBridge(VmInstance vm) {
        this.vm = vm;
        this.grpc = new GrpcCalls(vm);
    }

    GrpcCalls grpc() {
        return grpc;
    }

    /** Whether the callback that just returned recorded calls to start (or gRPC work to carry out). */
    boolean anyRecorded() {
        return calls.anyToStart() || grpc.anyToFlush() || redisCalls.anyToStart();
    }

    /** After a callback returned: starts the calls it recorded. */
    void startRecorded() {
        if (calls.anyToStart()) {
            startCalls();
        }
        grpc.flush();
        if (redisCalls.anyToStart()) {
            startRedisCalls();
        }
    }

    /** The instance broke or closes: no call is answered any more. */
    void cancelAll() {
        calls.cancelAll();
        grpc.cancelAll();
        redisCalls.cancelAll();
    }

    /** A context is gone: its gRPC calls end with it (Envoy: ~Context), a root's Redis clusters too. */
    void forget(int contextId) {
        grpc.cancelFor(contextId);
        redisInits.forgetRoot(contextId);
    }

    /** Whether the context waits for the answer of an outbound call. */
    boolean awaitsCall(int contextId) {
        return calls.inFlightFor(contextId) > 0 || grpc.awaits(contextId) || redisCalls.inFlightFor(contextId) > 0;
    }

    /** An HTTP context's HTTP calls outlive it: its root context owns and is answered them. */
    void handToRoot(int contextId, int rootContextId) {
        calls.handOver(contextId, rootContextId);
        redisCalls.cancelFor(contextId);
    }

    // ---- HTTP calls ----

    int httpCall(AbiContext effective, HttpCallRequest request) {
        return effective.id() == 0 ? 0 : calls.record(effective.id(), request);
    }

    private void startCalls() {
        for (OutboundCalls.Call<HttpCallRequest> call : calls.takeToStart()) {
            Runnable cancel;
            try {
                cancel = vm.services().httpCalls().dispatch(call.request(), response -> answer(call.token(), response));
            } catch (RuntimeException e) {
                vm.logger().warn("outbound call to '{}' could not start", call.request().upstream(), e);
                answer(call.token(), HttpCallResponse.failed());
                continue;
            }
            calls.started(call.token(), cancel);
        }
    }

    /** Delivers an answer (from any thread) through proxy_on_http_call_response on the calling context. */
    private void answer(int token, HttpCallResponse response) {
        vm.executor().execute(() -> {
            Integer contextId = calls.answered(token);
            // As Envoy: the answer goes to the root context (SDKs map the token to the calling context and
            // make it effective themselves; the Go SDK looks the root context up by this id).
            AbiContext root = contextId == null ? null : vm.callerRoot(contextId);
            if (root == null) {
                return; // cancelled, or its context is gone
            }
            CallAnswer delivered = response.isFailed() ? new CallAnswer(null, null, null) : CallAnswer.of(response);
            vm.executor().runDetached(GuestCallbacks.ON_HTTP_CALL_RESPONSE, root, () -> {
                answer = delivered;
                try {
                    return vm.call(GuestCallbacks.ON_HTTP_CALL_RESPONSE, root.id(), token,
                            delivered.headers() == null ? 0 : delivered.headers().size(),
                            delivered.body() == null ? 0 : delivered.body().length,
                            delivered.trailers() == null ? 0 : delivered.trailers().size());
                } finally {
                    answer = null;
                }
            });
        });
    }

    // ---- Redis calls ----

    int redisInit(RootContext root, RedisClusterName name, String username, String password, long timeoutMillis) {
        if (root == null) {
            vm.logger().warn("proxy_redis_init of '{}' outside a plugin's contexts", name.cluster());
            return Status.NOT_FOUND;
        }
        int status = redisInits.init(root.id(), name, username, password, timeoutMillis);
        if (status != Status.OK) {
            vm.logger().warn("proxy_redis_init of '{}': a root context may initialise at most {} clusters",
                    name.cluster(), Limits.MAX_REDIS_INITS_PER_ROOT);
        }
        return status;
    }

    int redisCall(AbiContext effective, RootContext root, RedisClusterName name, List<byte[]> arguments) {
        RedisInits.Init init = root == null ? null : redisInits.initFor(root.id(), name);
        if (init == null) {
            vm.logger().warn("proxy_redis_call to '{}' before its root context called proxy_redis_init for it",
                    name.cluster());
            return 0;
        }
        int database = name.database() >= 0 ? name.database() : init.name().database();
        int token = redisCalls.record(effective.id(), new RedisCallRequest(name.cluster(), database,
                init.username(), init.password(), init.timeoutMillis(), arguments));
        if (token == 0) {
            vm.logger().warn("proxy_redis_call to '{}': the context has {} Redis calls in flight already",
                    name.cluster(), Limits.MAX_REDIS_CALLS_PER_CONTEXT);
        }
        return token;
    }

    private void startRedisCalls() {
        for (OutboundCalls.Call<RedisCallRequest> call : redisCalls.takeToStart()) {
            Runnable cancel;
            try {
                cancel = vm.services().redisCalls().dispatch(call.request(),
                        reply -> answerRedis(call.token(), reply));
            } catch (RuntimeException e) {
                vm.logger().warn("Redis call to '{}' could not start", call.request().cluster(), e);
                answerRedis(call.token(), RedisCallResponse.failed(RedisCallResponse.NETWORK_ERROR));
                continue;
            }
            redisCalls.started(call.token(), cancel);
        }
    }

    /** Delivers a Redis reply (from any thread) through proxy_on_redis_call_response on the caller's root. */
    private void answerRedis(int token, RedisCallResponse response) {
        vm.executor().execute(() -> {
            Integer contextId = redisCalls.answered(token);
            AbiContext root = contextId == null ? null : vm.callerRoot(contextId);
            if (root == null) {
                return; // cancelled, or its context is gone
            }
            vm.executor().runDetached(GuestCallbacks.ON_REDIS_CALL_RESPONSE, root, () -> {
                redisReply = response.isFailed() ? null : response.reply();
                try {
                    return vm.call(GuestCallbacks.ON_REDIS_CALL_RESPONSE, root.id(), token, response.status(),
                            response.reply().length);
                } finally {
                    redisReply = null;
                }
            });
        });
    }

    // ---- what the guest reads while it handles an answer ----

    /** Maps 6 and 7 (an HTTP call's answer) and the gRPC metadata maps; null for any other map. */
    HeaderMap answerMap(int mapType) {
        if (mapType == MapType.GRPC_RECEIVE_INITIAL_METADATA || mapType == MapType.GRPC_RECEIVE_TRAILING_METADATA) {
            return grpc.metadata(mapType);
        }
        if (answer == null || answer.headers() == null) {
            return null;
        }
        return mapType == MapType.HTTP_CALL_RESPONSE_HEADERS ? answer.headers() : answer.trailers();
    }

    static boolean isAnswerMap(int mapType) {
        return mapType == MapType.GRPC_RECEIVE_INITIAL_METADATA || mapType == MapType.GRPC_RECEIVE_TRAILING_METADATA
                || mapType == MapType.HTTP_CALL_RESPONSE_HEADERS || mapType == MapType.HTTP_CALL_RESPONSE_TRAILERS;
    }

    static boolean isAnswerBuffer(int bufferType) {
        return bufferType == BufferType.GRPC_RECEIVE_BUFFER || bufferType == BufferType.HTTP_CALL_RESPONSE_BODY
                || bufferType == BufferType.REDIS_CALL_RESPONSE;
    }

    /** Buffers 4 (an HTTP call's body), 8 (a gRPC message) and 9 (a Redis reply). */
    AbiBuffer answerBuffer(int bufferType) {
        if (bufferType == BufferType.GRPC_RECEIVE_BUFFER) {
            return grpc.message();
        }
        if (bufferType == BufferType.HTTP_CALL_RESPONSE_BODY) {
            return answer == null || answer.body() == null ? null : AbiBuffer.readOnly(answer.body());
        }
        return redisReply == null ? null : AbiBuffer.readOnly(redisReply);
    }
}
