package io.wasmgateway.it.support;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * An upstream for large bodies that keeps none of them: POST answers "bytes=<n> sha256=<hex>" of what it read
 * (or "early" at once, with {@link #ANSWER_EARLY}), GET ?size=n streams n bytes of {@link #pattern} (chunked, no
 * Content-Length; then closes the connection, with {@link #CLOSE}).
 */
public final class StreamingUpstream implements AutoCloseable {

    /** A POST with this header is answered "early" at once, before its body is read. */
    public static final String ANSWER_EARLY = "x-answer-early";

    /** A GET with this header is answered with Connection: close, and the connection closed after the body. */
    public static final String CLOSE = "x-close";

    /** One 64 KiB chunk of the pattern every stream repeats. */
    public static final byte[] CHUNK = pattern(64 * 1024);

    private final DisposableServer server;

    public StreamingUpstream() {
        server = HttpServer.create()
            .port(0)
            .route(routes -> routes
                .post("/**", (request, response) -> request.requestHeaders().contains(ANSWER_EARLY)
                        ? response.sendString(Mono.just("early")).then()
                        : request.receive()
                            .reduce(new Digest(), Digest::add)
                            .flatMap(digest -> response.sendString(Mono.just(digest.toString())).then()))
                .get("/**", (request, response) -> {
                    long size = Long.parseLong(request.uri().replaceAll(".*size=", ""));
                    return response.keepAlive(!request.requestHeaders().contains(CLOSE)).send(chunks(size)).then();
                }))
            .bindNow();
    }

    public int port() {
        return server.port();
    }

    /** size bytes of the pattern, in 64 KiB chunks that share one array (nothing to allocate per chunk). */
    public static Flux<ByteBuf> chunks(long size) {
        long count = (size + CHUNK.length - 1) / CHUNK.length;
        return Flux.range(0, (int) count).map(i -> {
            long left = size - (long) i * CHUNK.length;
            return Unpooled.wrappedBuffer(CHUNK, 0, (int) Math.min(CHUNK.length, left));
        });
    }

    /** What {@link #chunks} of that size digest to, as the POST answer says it. */
    public static String expected(long size) {
        Digest digest = new Digest();
        for (long sent = 0; sent < size; sent += CHUNK.length) {
            digest.add(Unpooled.wrappedBuffer(CHUNK, 0, (int) Math.min(CHUNK.length, size - sent)));
        }
        return digest.toString();
    }

    private static byte[] pattern(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) ('a' + (i * 31) % 26);
        }
        return bytes;
    }

    /** Byte count and SHA-256 of a stream of buffers (read without releasing: the caller owns them). */
    public static final class Digest {

        private final MessageDigest sha256;

        private long bytes;

        public Digest() {
            try {
                sha256 = MessageDigest.getInstance("SHA-256");
            }
            catch (NoSuchAlgorithmException ex) {
                throw new IllegalStateException(ex);
            }
        }

        public Digest add(ByteBuf buffer) {
            bytes += buffer.readableBytes();
            sha256.update(buffer.nioBuffer());
            return this;
        }

        @Override
        public String toString() {
            return "bytes=" + bytes + " sha256=" + HexFormat.of().formatHex(sha256.digest());
        }
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
