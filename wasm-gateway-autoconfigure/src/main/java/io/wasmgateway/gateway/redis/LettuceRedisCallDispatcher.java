package io.wasmgateway.gateway.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.CommandArgs;
import io.wasmgateway.host.RedisCallDispatcher;
import io.wasmgateway.host.RedisCallRequest;
import io.wasmgateway.host.RedisCallResponse;
import io.wasmgateway.host.abi.Limits;

/**
 * Carries filters' proxy_redis_call commands to the configured clusters on Lettuce, without blocking: the
 * filter's RESP array is sent as one raw command on the cluster's multiplexed connection, and Redis's reply
 * comes back as the raw RESP bytes ({@link RawReplyOutput}). lettuce-core directly rather than Spring Data
 * Redis: Spring Data's templates decode replies into Java values and would have to be encoded back; Lettuce's
 * {@code dispatch} with a custom output is the round trip with nothing in between.
 *
 * <p>Commands that change a shared connection's state or block it (SELECT, AUTH, MULTI, SUBSCRIBE, BLPOP, ...)
 * are answered with an error reply without reaching Redis: every filter's calls share one connection.
 */
public class LettuceRedisCallDispatcher implements RedisCallDispatcher {

    /** Commands one multiplexed connection cannot carry for many callers. */
    static final Set<String> REFUSED = Set.of("AUTH", "HELLO", "SELECT", "QUIT", "RESET", "CLIENT", "MULTI", "EXEC",
            "DISCARD", "WATCH", "UNWATCH", "SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "UNSUBSCRIBE", "PUNSUBSCRIBE",
            "SUNSUBSCRIBE", "MONITOR", "SYNC", "PSYNC", "WAIT", "WAITAOF", "BLPOP", "BRPOP", "BLMOVE", "BRPOPLPUSH",
            "BLMPOP", "BZPOPMIN", "BZPOPMAX", "BZMPOP", "SHUTDOWN", "DEBUG");

    private final Map<String, RedisCluster> clusters;
    private final RedisCallMetrics metrics;

    public LettuceRedisCallDispatcher(RedisClusters clusters, RedisCallMetrics metrics) {
        this.clusters = clusters.byName();
        this.metrics = metrics;
    }

    @Override
    public boolean hasCluster(String cluster) {
        return clusters.containsKey(cluster);
    }

    @Override
    public Runnable dispatch(RedisCallRequest request, Consumer<RedisCallResponse> onDone) {
        RedisCluster cluster = clusters.get(request.cluster());
        if (cluster == null) {
            onDone.accept(RedisCallResponse.failed(RedisCallResponse.NETWORK_ERROR));
            return () -> { };
        }
        long start = System.nanoTime();
        RawCommandType command = RawCommandType.of(request.arguments().get(0));
        if (REFUSED.contains(command.name())) {
            metrics.record(cluster.name(), "refused", System.nanoTime() - start);
            onDone.accept(RedisCallResponse.of(("-ERR wasm-gateway: " + command.name()
                    + " is not allowed on the shared connection\r\n").getBytes(StandardCharsets.US_ASCII)));
            return () -> { };
        }
        Duration timeout = request.timeoutMillis() > 0 ? Duration.ofMillis(request.timeoutMillis())
                : cluster.timeout();
        RawReplyOutput output = new RawReplyOutput(Limits.MAX_REDIS_REPLY_BYTES);
        CompletableFuture<byte[]> reply = cluster.connection(request.database(), request.username(),
                request.password()).thenCompose(connection -> send(connection, command, request.arguments(), output))
            .orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
        reply.whenComplete((bytes, error) -> {
            String outcome;
            RedisCallResponse response;
            if (error != null) {
                boolean timedOut = unwrap(error) instanceof TimeoutException;
                outcome = timedOut ? "timeout" : "error";
                response = RedisCallResponse.failed(timedOut ? RedisCallResponse.TIMEOUT
                        : RedisCallResponse.NETWORK_ERROR);
            } else if (output.isTooLarge()) {
                outcome = "too-large";
                response = RedisCallResponse.failed(RedisCallResponse.NETWORK_ERROR);
            } else {
                outcome = bytes.length > 0 && bytes[0] == '-' ? "error-reply" : "success";
                response = RedisCallResponse.of(bytes);
            }
            metrics.record(cluster.name(), outcome, System.nanoTime() - start);
            onDone.accept(response);
        });
        return () -> reply.cancel(false);
    }

    private static CompletableFuture<byte[]> send(StatefulRedisConnection<byte[], byte[]> connection,
            RawCommandType command, List<byte[]> arguments, RawReplyOutput output) {
        CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE);
        for (int i = 1; i < arguments.size(); i++) {
            args.add(arguments.get(i));
        }
        RedisFuture<byte[]> future = connection.async().dispatch(command, output, args);
        return future.toCompletableFuture();
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
