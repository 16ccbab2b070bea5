package io.wasmgateway.it.support;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.grpc.HandlerRegistry;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;

/**
 * A real grpc-java server (Netty, HTTP/2 over a socket) on a random port, whose methods are written against the
 * raw {@link ServerCall} API with {@code byte[]} messages: a test registers a {@link Method} per full method name.
 * Every call's request metadata and cancellation are recorded.
 */
public final class GrpcTestServer implements AutoCloseable {

    /** One method's behaviour: gets the call (to answer on) and then its messages. */
    public interface Method {
        /** The call has started; answer now or later (never blocking: use {@link #later}). */
        default void started(ServerCall<byte[], byte[]> call, Metadata headers) {
        }

        void message(ServerCall<byte[], byte[]> call, byte[] message);

        /** The client half-closed. */
        default void halfClosed(ServerCall<byte[], byte[]> call) {
        }
    }

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

    private final Map<String, Method> methods = new ConcurrentHashMap<>();

    private final List<Metadata> requestHeaders = new CopyOnWriteArrayList<>();

    private final List<String> cancelled = new CopyOnWriteArrayList<>();

    private final List<String> calls = new CopyOnWriteArrayList<>();

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "grpc-test-server-timer");
        thread.setDaemon(true);
        return thread;
    });

    private final Server server;

    public GrpcTestServer() {
        try {
            // a few threads of its own: the gateway's threads are what the tests count
            server = NettyServerBuilder.forPort(0)
                .executor(Executors.newFixedThreadPool(4, task -> {
                    Thread thread = new Thread(task, "grpc-test-server");
                    thread.setDaemon(true);
                    return thread;
                }))
                .fallbackHandlerRegistry(new Registry())
                .build()
                .start();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public int port() {
        return server.getPort();
    }

    public GrpcTestServer handle(String fullMethodName, Method method) {
        methods.put(fullMethodName, method);
        return this;
    }

    /** Runs an answer later, off the server's threads. */
    public void later(long millis, Runnable answer) {
        timer.schedule(answer, millis, TimeUnit.MILLISECONDS);
    }

    /** The request metadata of every call so far. */
    public List<Metadata> requestHeaders() {
        return requestHeaders;
    }

    /** The full method names of the calls the client cancelled. */
    public List<String> cancelled() {
        return cancelled;
    }

    /** The full method names of every call so far. */
    public List<String> calls() {
        return calls;
    }

    public void reset() {
        requestHeaders.clear();
        cancelled.clear();
        calls.clear();
    }

    /** A metadata key of ASCII values. */
    public static Metadata.Key<String> key(String name) {
        return Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
    }

    @Override
    public void close() {
        server.shutdownNow();
        timer.shutdownNow();
    }

    private final class Registry extends HandlerRegistry {

        @Override
        public ServerMethodDefinition<?, ?> lookupMethod(String methodName, String authority) {
            Method method = methods.get(methodName);
            if (method == null) {
                return null;
            }
            MethodDescriptor<byte[], byte[]> descriptor = MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
                .setFullMethodName(methodName)
                .setRequestMarshaller(BYTES)
                .setResponseMarshaller(BYTES)
                .build();
            ServerCallHandler<byte[], byte[]> handler = (call, headers) -> {
                requestHeaders.add(headers);
                calls.add(methodName);
                call.request(1);
                method.started(call, headers);
                return new ServerCall.Listener<>() {
                    @Override
                    public void onMessage(byte[] message) {
                        method.message(call, message);
                        call.request(1);
                    }

                    @Override
                    public void onHalfClose() {
                        method.halfClosed(call);
                    }

                    @Override
                    public void onCancel() {
                        cancelled.add(methodName);
                    }
                };
            };
            return ServerMethodDefinition.create(descriptor, handler);
        }
    }

    /** Closes a call with a status and trailers, ignoring a call the client has cancelled meanwhile. */
    public static void close(ServerCall<byte[], byte[]> call, Status status, Metadata trailers) {
        try {
            call.close(status, trailers);
        }
        catch (IllegalStateException alreadyClosed) {
            // the client went away first
        }
    }
}
