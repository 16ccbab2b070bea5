package io.wasmgateway.gateway;

import java.util.concurrent.CompletableFuture;

import io.netty.util.concurrent.EventExecutor;
import reactor.netty.Connection;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;

/**
 * The event loop of the connection a request came on, and the way back to it. A wasm callback that did not run
 * inline completes on whatever thread ran it: the one that answered an outbound call (Lettuce's, gRPC's, another
 * event loop's HTTP client), the timer's, or the thread holding a shared instance's lane. Going on with the request
 * there would write its response off its connection's event loop. That leaves a window in which the client's next
 * request on the keep-alive connection arrives before the previous one's operations ended; Reactor Netty (1.3.6)
 * then buffers it and, when it is answered at once, never reads that connection again (reactor/reactor-netty#4361,
 * reproduced by OutboundCallsTest). As Envoy runs a stream's callbacks on its worker, the request goes on on its loop.
 */
public final class RequestLoop {

    private RequestLoop() {
    }

    /** The loop of the server connection under the request (through any decorators), or null when there is none. */
    public static EventExecutor of(ServerHttpRequest request) {
        Object nativeRequest;
        try {
            nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
        }
        catch (IllegalStateException ex) {
            return null; // a request of no server (Spring's mock request says so this way)
        }
        return nativeRequest instanceof Connection connection ? connection.channel().eventLoop() : null;
    }

    /**
     * {@code stage}, completing on {@code loop}: itself when it is complete already or there is no loop, else a
     * future completed on the loop (at once when the stage completes there).
     */
    public static <T> CompletableFuture<T> backOn(EventExecutor loop, CompletableFuture<T> stage) {
        if (loop == null || stage.isDone()) {
            return stage;
        }
        CompletableFuture<T> onLoop = new CompletableFuture<>();
        stage.whenComplete((value, error) -> {
            if (loop.inEventLoop()) {
                complete(onLoop, value, error);
            }
            else {
                loop.execute(() -> complete(onLoop, value, error));
            }
        });
        return onLoop;
    }

    private static <T> void complete(CompletableFuture<T> future, T value, Throwable error) {
        if (error != null) {
            future.completeExceptionally(error);
        }
        else {
            future.complete(value);
        }
    }
}
