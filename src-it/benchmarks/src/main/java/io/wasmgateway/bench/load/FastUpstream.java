package io.wasmgateway.bench.load;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.Unpooled;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The load benchmark's upstream: answers every request at once with a small fixed body, on Reactor Netty, so
 * that the gateway's own cost dominates. {@code java ... FastUpstream <port>}.
 */
public final class FastUpstream {

    private static final byte[] BODY = "hello from the upstream\n".getBytes(StandardCharsets.US_ASCII);

    private FastUpstream() {
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        DisposableServer server = HttpServer.create()
                .host("127.0.0.1")
                .port(port)
                .handle((request, response) -> request.receive().then(response
                        .header("content-type", "text/plain")
                        .header("content-length", Integer.toString(BODY.length))
                        .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(BODY)))
                        .then()))
                .bindNow();
        System.out.println("upstream listening on " + server.port());
        server.onDispose().block();
    }
}
