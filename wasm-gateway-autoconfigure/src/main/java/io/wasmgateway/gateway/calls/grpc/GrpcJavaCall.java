package io.wasmgateway.gateway.calls.grpc;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.wasmgateway.host.GrpcCallHandle;
import io.wasmgateway.host.GrpcCallListener;
import io.wasmgateway.host.GrpcCallRequest;

/**
 * One filter's call on a grpc-java channel: the filter's bytes go out as they are (a {@code byte[]} marshaller),
 * what comes back goes to the host's listener. The host drives it from one VM lane at a time, as grpc-java wants
 * a call driven from one thread at a time.
 */
final class GrpcJavaCall extends ClientCall.Listener<byte[]> implements GrpcCallHandle {

    static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
    };

    private final ClientCall<byte[], byte[]> call;

    private final GrpcCallListener listener;

    private final boolean unary;

    private final Recorder recorder;

    private boolean headersSeen; // on the call's callback thread

    interface Recorder {
        void closed(String status);
    }

    private GrpcJavaCall(ClientCall<byte[], byte[]> call, GrpcCallListener listener, boolean unary,
            Recorder recorder) {
        this.call = call;
        this.listener = listener;
        this.unary = unary;
        this.recorder = recorder;
    }

    static MethodDescriptor<byte[], byte[]> method(GrpcCallRequest request) {
        return MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(request.isUnary() ? MethodDescriptor.MethodType.UNARY
                    : MethodDescriptor.MethodType.BIDI_STREAMING)
            .setFullMethodName(request.fullMethodName())
            .setRequestMarshaller(BYTES)
            .setResponseMarshaller(BYTES)
            .build();
    }

    /** Starts the call; a unary one sends its message and half-closes at once. */
    static GrpcJavaCall start(ClientCall<byte[], byte[]> call, GrpcCallRequest request, GrpcCallListener listener,
            Recorder recorder) {
        GrpcJavaCall started = new GrpcJavaCall(call, listener, request.isUnary(), recorder);
        call.start(started, GrpcMetadata.of(request.initialMetadata()));
        if (request.isUnary()) {
            call.request(2); // one message, and room to notice a second (an error)
            call.sendMessage(request.message());
            call.halfClose();
        }
        else {
            call.request(1);
        }
        return started;
    }

    // ---- GrpcCallHandle (from the VM lane) ----

    @Override
    public void send(byte[] message, boolean endOfStream) {
        call.sendMessage(message);
        if (endOfStream) {
            call.halfClose();
        }
    }

    @Override
    public void halfClose() {
        call.halfClose();
    }

    @Override
    public void cancel() {
        call.cancel("cancelled by the filter or its context ended", null);
    }

    // ---- ClientCall.Listener (grpc-java's callback thread) ----

    @Override
    public void onHeaders(Metadata headers) {
        headersSeen = true;
        listener.onInitialMetadata(GrpcMetadata.pairs(headers));
    }

    @Override
    public void onMessage(byte[] message) {
        listener.onMessage(message);
        if (!unary) {
            call.request(1);
        }
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
        recorder.closed(status.getCode().name());
        List<Map.Entry<String, String>> pairs = GrpcMetadata.pairs(trailers);
        if (headersSeen || !pairs.isEmpty()) {
            // the server sent trailers: grpc-java keeps grpc-status and grpc-message out of them, Envoy does not
            pairs = withStatus(status, pairs);
        }
        listener.onClose(status.getCode().value(), status.getDescription() == null ? "" : status.getDescription(),
                pairs);
    }

    private static List<Map.Entry<String, String>> withStatus(Status status, List<Map.Entry<String, String>> pairs) {
        java.util.ArrayList<Map.Entry<String, String>> all = new java.util.ArrayList<>(pairs.size() + 2);
        all.add(Map.entry("grpc-status", Integer.toString(status.getCode().value())));
        if (status.getDescription() != null) {
            all.add(Map.entry("grpc-message", status.getDescription()));
        }
        all.addAll(pairs);
        return all;
    }
}
