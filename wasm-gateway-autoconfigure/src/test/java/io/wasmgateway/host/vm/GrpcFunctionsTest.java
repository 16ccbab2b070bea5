package io.wasmgateway.host.vm;

import static io.wasmgateway.host.vm.Probe.OUTSIDE;
import static io.wasmgateway.host.vm.Probe.SLOT_PTR;
import static io.wasmgateway.host.vm.Probe.SLOT_SIZE;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedOutputStream;

import io.wasmgateway.host.GrpcCallDispatcher;
import io.wasmgateway.host.GrpcCallHandle;
import io.wasmgateway.host.GrpcCallListener;
import io.wasmgateway.host.GrpcCallRequest;
import io.wasmgateway.host.HostServices;
import io.wasmgateway.host.abi.AbiContext;
import io.wasmgateway.host.abi.Limits;
import io.wasmgateway.host.abi.PairsCodec;
import io.wasmgateway.host.abi.Status;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The gRPC host functions' statuses, tokens and bookkeeping (host_probe.wat calling them directly), against a
 * dispatcher that records what the host starts. Callbacks are tested over the network in src-it's GrpcCallsTest.
 */
class GrpcFunctionsTest {

    /** Records started calls and what the host does with them; knows the clusters "known" and "10.0.0.1:81". */
    static final class RecordingDispatcher implements GrpcCallDispatcher {
        final List<GrpcCallRequest> started = new ArrayList<>();
        final List<String> events = new ArrayList<>();

        @Override
        public boolean hasCluster(String cluster) {
            return cluster.equals("known") || cluster.equals("10.0.0.1:81");
        }

        @Override
        public GrpcCallHandle start(GrpcCallRequest request, GrpcCallListener listener) {
            started.add(request);
            int index = started.size();
            return new GrpcCallHandle() {
                @Override
                public void send(byte[] message, boolean endOfStream) {
                    events.add(index + " send " + new String(message) + (endOfStream ? " end" : ""));
                }

                @Override
                public void halfClose() {
                    events.add(index + " half-close");
                }

                @Override
                public void cancel() {
                    events.add(index + " cancel");
                }
            };
        }
    }

    private final RecordingDispatcher dispatcher = new RecordingDispatcher();
    private final Probe probe = new Probe(HostServices.standalone().withGrpcCalls(dispatcher));

    @AfterEach
    void close() {
        probe.close();
    }

    private int call(AbiContext context, String upstream, String message, int timeoutMillis) {
        return call(context, probe.put(upstream), upstream.length(), message, timeoutMillis, 2000);
    }

    private int call(AbiContext context, int upstream, int upstreamSize, String message, int timeoutMillis,
            int tokenSlot) {
        byte[] metadata = PairsCodec.encode(List.of(Map.entry("X-Key", "v")));
        return probe.call(context, "env.proxy_grpc_call", upstream, upstreamSize, probe.put("pkg.Svc"), 7,
                probe.put("Get"), 3, probe.put(metadata), metadata.length, probe.put(message), message.length(),
                timeoutMillis, tokenSlot);
    }

    private int stream(String upstream) {
        return probe.inStream("proxy_grpc_stream", probe.put(upstream), upstream.length(), probe.put("pkg.Svc"), 7,
                probe.put("Chat"), 4, 0, 0, 2000);
    }

    @Test
    void aUnaryCallStartsWhenTheCallbackReturnsWithEverythingTheFilterGave() {
        assertThat(call(probe.stream, "known", "hello", 250)).isEqualTo(Status.OK);

        assertThat(probe.u32(2000) & 3).isEqualTo(1); // Envoy's gRPC call tokens: 1 modulo 4
        assertThat(dispatcher.started).hasSize(1);
        GrpcCallRequest request = dispatcher.started.get(0);
        assertThat(request.cluster()).isEqualTo("known");
        assertThat(request.fullMethodName()).isEqualTo("pkg.Svc/Get");
        assertThat(request.initialMetadata()).containsExactly(Map.entry("x-key", "v"));
        assertThat(new String(request.message())).isEqualTo("hello");
        assertThat(request.timeoutMillis()).isEqualTo(250);
        assertThat(probe.vm.awaitsCall(probe.stream.id())).isTrue();
    }

    @Test
    void streamTokensAreTwoModuloFourAndDistinctFromCallTokens() {
        assertThat(stream("known")).isEqualTo(Status.OK);
        int streamToken = probe.u32(2000);
        assertThat(call(probe.stream, "known", "x", 0)).isEqualTo(Status.OK);
        int callToken = probe.u32(2000);

        assertThat(streamToken & 3).isEqualTo(2);
        assertThat(callToken & 3).isEqualTo(1);
        assertThat(dispatcher.started.get(0).isUnary()).isFalse();
        assertThat(dispatcher.started.get(0).timeoutMillis()).isZero();
    }

    @Test
    void anUnknownClusterIsAParseFailureAndNoCall() {
        assertThat(call(probe.stream, "nowhere", "x", 0)).isEqualTo(Status.PARSE_FAILURE);
        assertThat(stream("nowhere")).isEqualTo(Status.PARSE_FAILURE);
        assertThat(dispatcher.started).isEmpty();
    }

    @Test
    void aSerializedGrpcServiceNamesTheClusterTheTimeoutAndMetadata() throws IOException {
        byte[] service = grpcService();
        int upstream = probe.put(service);

        assertThat(call(probe.stream, upstream, service.length, "m", 0, 2000)).isEqualTo(Status.OK);

        GrpcCallRequest request = dispatcher.started.get(0);
        assertThat(request.cluster()).isEqualTo("known");
        assertThat(request.timeoutMillis()).isEqualTo(1500); // the filter gave 0
        assertThat(request.initialMetadata()).containsExactly(Map.entry("x-from-service", "a"),
                Map.entry("x-key", "v"));
    }

    @Test
    void badPointersAreInvalidMemoryAccessAndNoCall() {
        assertThat(call(probe.stream, OUTSIDE, 5, "x", 0, 2000)).isEqualTo(Status.INVALID_MEMORY_ACCESS);
        assertThat(call(probe.stream, probe.put("known"), 5, "x", 0, OUTSIDE))
            .isEqualTo(Status.INVALID_MEMORY_ACCESS);
        assertThat(probe.inStream("proxy_grpc_send", 2, OUTSIDE, 4, 0)).isEqualTo(Status.INVALID_MEMORY_ACCESS);
        assertThat(dispatcher.started).isEmpty();
    }

    @Test
    void withoutAContextThereIsNobodyToAnswer() {
        assertThat(call(AbiContext.NONE, "known", "x", 0)).isEqualTo(Status.INTERNAL_FAILURE);
    }

    @Test
    void aContextHasABoundedNumberOfCalls() {
        for (int i = 0; i < Limits.MAX_GRPC_CALLS_PER_CONTEXT; i++) {
            assertThat(call(probe.stream, "known", "x", 0)).isEqualTo(Status.OK);
        }
        assertThat(call(probe.stream, "known", "x", 0)).isEqualTo(Status.INTERNAL_FAILURE);
        assertThat(call(probe.root(), "known", "x", 0)).isEqualTo(Status.OK); // another context
    }

    @Test
    void sendCloseAndCancelCheckTheTokensKind() {
        assertThat(call(probe.stream, "known", "x", 0)).isEqualTo(Status.OK);
        int callToken = probe.u32(2000);
        int message = probe.put("m");

        assertThat(probe.inStream("proxy_grpc_send", callToken, message, 1, 0)).isEqualTo(Status.BAD_ARGUMENT);
        assertThat(probe.inStream("proxy_grpc_send", 6, message, 1, 0)).isEqualTo(Status.NOT_FOUND);
        assertThat(probe.inStream("proxy_grpc_cancel", 4)).isEqualTo(Status.BAD_ARGUMENT); // an HTTP call's kind
        assertThat(probe.inStream("proxy_grpc_close", 7)).isEqualTo(Status.BAD_ARGUMENT);
        assertThat(probe.inStream("proxy_grpc_cancel", 5 + callToken * 4)).isEqualTo(Status.NOT_FOUND);
    }

    @Test
    void sendsAndCloseReachTheStreamInOrderAfterTheCallback() {
        assertThat(stream("known")).isEqualTo(Status.OK);
        int token = probe.u32(2000);

        assertThat(probe.inStream("proxy_grpc_send", token, probe.put("a"), 1, 0)).isEqualTo(Status.OK);
        assertThat(probe.inStream("proxy_grpc_send", token, probe.put("b"), 1, 1)).isEqualTo(Status.OK);
        assertThat(probe.inStream("proxy_grpc_send", token, probe.put("c"), 1, 0)).isEqualTo(Status.BAD_ARGUMENT);
        assertThat(probe.inStream("proxy_grpc_close", token)).isEqualTo(Status.OK);

        assertThat(dispatcher.events).containsExactly("1 send a", "1 send b end");
    }

    @Test
    void aCancelledCallIsCancelledOnceAndForgotten() {
        assertThat(stream("known")).isEqualTo(Status.OK);
        int token = probe.u32(2000);

        assertThat(probe.inStream("proxy_grpc_cancel", token)).isEqualTo(Status.OK);
        assertThat(probe.inStream("proxy_grpc_cancel", token)).isEqualTo(Status.NOT_FOUND);
        assertThat(probe.inStream("proxy_grpc_close", token)).isEqualTo(Status.NOT_FOUND);

        assertThat(dispatcher.events).containsExactly("1 cancel");
        assertThat(probe.vm.awaitsCall(probe.stream.id())).isFalse();
    }

    @Test
    void closingAUnaryCallCancelsIt() {
        assertThat(call(probe.stream, "known", "x", 0)).isEqualTo(Status.OK);

        assertThat(probe.inStream("proxy_grpc_close", probe.u32(2000))).isEqualTo(Status.OK);

        assertThat(dispatcher.events).containsExactly("1 cancel");
    }

    @Test
    void theEndOfItsContextCancelsItsCalls() {
        assertThat(stream("known")).isEqualTo(Status.OK);
        assertThat(call(probe.root(), "known", "x", 0)).isEqualTo(Status.OK);

        probe.stream.finish().toCompletableFuture().join();

        assertThat(dispatcher.events).containsExactly("1 cancel"); // the root context's call goes on
    }

    @Test
    void tooLargeAMessageIsABadArgument() {
        int upstream = probe.put("known");
        assertThat(probe.inStream("proxy_grpc_call", upstream, 5, probe.put("pkg.Svc"), 7, probe.put("Get"), 3, 0, 0,
                1024, Limits.MAX_GRPC_MESSAGE_BYTES + 1, 0, 2000)).isEqualTo(Status.BAD_ARGUMENT);
    }

    @Test
    void getStatusOutsideAGrpcCloseIsOkAndEmpty() {
        probe.setU32(1000, 99);
        assertThat(probe.inRoot("proxy_get_status", 1000, SLOT_PTR, SLOT_SIZE)).isEqualTo(Status.OK);
        assertThat(probe.u32(1000)).isZero();
        assertThat(probe.returned()).isEmpty();
        assertThat(probe.inRoot("proxy_get_status", OUTSIDE, SLOT_PTR, SLOT_SIZE))
            .isEqualTo(Status.INVALID_MEMORY_ACCESS);
    }

    @Test
    void grpcMapsAndBufferDoNotExistOutsideTheirCallbacks() {
        // a map missing in this phase: BAD_ARGUMENT for its size, as Envoy's Context::getHeaderMapSize
        assertThat(probe.inRoot("proxy_get_header_map_size", 4, 1000)).isEqualTo(Status.BAD_ARGUMENT);
        assertThat(probe.inRoot("proxy_get_header_map_size", 5, 1000)).isEqualTo(Status.BAD_ARGUMENT);
        assertThat(probe.inRoot("proxy_get_buffer_status", 5, 1000, 1004)).isEqualTo(Status.NOT_FOUND);
    }

    /** envoy.config.core.v3.GrpcService{envoy_grpc{cluster_name}, timeout 1.5s, initial_metadata[...]} */
    private static byte[] grpcService() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeByteArray(1, message(o -> o.writeString(1, "known")));
        out.writeByteArray(3, message(o -> {
            o.writeInt64(1, 1);
            o.writeInt32(2, 500_000_000);
        }));
        out.writeByteArray(5, message(o -> {
            o.writeString(1, "X-From-Service");
            o.writeString(2, "a");
        }));
        out.flush();
        return bytes.toByteArray();
    }

    interface Fields {
        void write(CodedOutputStream out) throws IOException;
    }

    static byte[] message(Fields fields) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        fields.write(out);
        out.flush();
        return bytes.toByteArray();
    }
}
