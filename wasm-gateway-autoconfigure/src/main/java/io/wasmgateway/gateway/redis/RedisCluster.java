package io.wasmgateway.gateway.redis;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.resource.ClientResources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configured Redis server and its Lettuce connections: one multiplexed connection per database and
 * credentials in use (the configured ones, or a filter's own from proxy_redis_init), opened without blocking.
 * After a first successful connect Lettuce reconnects by itself; a connect that failed is tried again by the
 * first call at least {@link #RETRY_AFTER} later, calls in between failing at once. While a connection is down,
 * commands are rejected at once instead of queued.
 */
final class RedisCluster implements AutoCloseable {

    static final Duration RETRY_AFTER = Duration.ofMillis(500);

    /** How often a connect whose handshake failure Lettuce lost is tried again at once (see lostHandshakeFailure). */
    static final int LOST_HANDSHAKE_RETRIES = 3;

    private static final Logger log = LoggerFactory.getLogger(RedisCluster.class);

    /** Which connection: a database and credentials ("" for the configured ones). */
    private record Key(int database, String username, String password) {
    }

    private record Connecting(CompletableFuture<StatefulRedisConnection<byte[], byte[]>> connection, long startedAt) {
    }

    private final String name;
    private final URI url;
    private final String username;
    private final String password;
    private final int database;
    private final Duration timeout;
    private final RedisClient client;
    private final Map<Key, Connecting> connections = new ConcurrentHashMap<>();

    RedisCluster(String name, WasmRedisProperties.Cluster cluster, ClientResources resources) {
        this.name = name;
        this.url = cluster.getUrl();
        RedisURI parsed = RedisURI.create(url);
        this.username = cluster.getUsername() != null ? cluster.getUsername() : nullToEmpty(parsed.getUsername());
        this.password = cluster.getPassword() != null ? cluster.getPassword()
                : parsed.getPassword() == null ? "" : new String(parsed.getPassword());
        this.database = cluster.getDatabase() != null ? cluster.getDatabase() : parsed.getDatabase();
        this.timeout = cluster.getTimeout();
        this.client = RedisClient.create(resources);
        client.setOptions(ClientOptions.builder()
            .protocolVersion(ProtocolVersion.RESP2) // replies as filters expect them, as Envoy's client speaks
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .autoReconnect(true)
            .build());
    }

    String name() {
        return name;
    }

    Duration timeout() {
        return timeout;
    }

    /** Where it is, without credentials, for logs and health details. */
    String address() {
        return url.getScheme() + "://" + url.getHost() + ":" + (url.getPort() < 0 ? 6379 : url.getPort());
    }

    /** The connection with the configured database and credentials. */
    CompletableFuture<StatefulRedisConnection<byte[], byte[]>> connection() {
        return connection(-1, "", "");
    }

    /**
     * The connection for a database (-1: the configured one) and credentials (empty: the configured ones),
     * opened on first use without blocking.
     */
    CompletableFuture<StatefulRedisConnection<byte[], byte[]>> connection(int database, String username,
            String password) {
        boolean own = !username.isEmpty() || !password.isEmpty();
        Key key = new Key(database < 0 ? this.database : database, own ? username : this.username,
                own ? password : this.password);
        Connecting known = connections.get(key);
        if (known != null && !known.connection().isCompletedExceptionally()) {
            return known.connection(); // the common case: no lock
        }
        long now = System.nanoTime();
        return connections.compute(key, (k, current) -> current == null || failedLongAgo(current, now)
                ? new Connecting(connect(k), now) : current).connection();
    }

    private static boolean failedLongAgo(Connecting connecting, long now) {
        return connecting.connection().isCompletedExceptionally() && now - connecting.startedAt() > RETRY_AFTER.toNanos();
    }

    private CompletableFuture<StatefulRedisConnection<byte[], byte[]>> connect(Key key) {
        return connect(key, LOST_HANDSHAKE_RETRIES).whenComplete((connection, error) -> {
            if (error != null) {
                log.warn("Redis cluster '{}' ({}, database {}): {}", name, address(), key.database(), reason(error));
            }
        });
    }

    private CompletableFuture<StatefulRedisConnection<byte[], byte[]>> connect(Key key, int retries) {
        return client.connectAsync(ByteArrayCodec.INSTANCE, uri(key.database(), key.username(), key.password()))
            .toCompletableFuture()
            .handle((connection, error) -> error == null ? CompletableFuture.completedFuture(connection)
                    : retries > 0 && lostHandshakeFailure(error) ? connect(key, retries - 1)
                            : CompletableFuture.<StatefulRedisConnection<byte[], byte[]>>failedFuture(error))
            .thenCompose(connection -> connection);
    }

    /**
     * Lettuce (6.8) loses the reason of a handshake that fails before its connect listener has run (a busy event
     * loop, refused credentials answered at once): the connect then fails with this instead of the server's error.
     * Connecting again gives the real reason, so that operators (and the health details) read "credentials
     * refused" rather than a Lettuce internal.
     */
    static boolean lostHandshakeFailure(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof IllegalStateException && "RedisHandshakeHandler not registered".equals(cause.getMessage())) {
                return true;
            }
        }
        return false;
    }

    /** A publish/subscribe connection with the configured database and credentials (Lettuce resubscribes). */
    CompletableFuture<StatefulRedisPubSubConnection<byte[], byte[]>> connectPubSub() {
        return client.connectPubSubAsync(ByteArrayCodec.INSTANCE, uri(database, username, password))
            .toCompletableFuture();
    }

    private RedisURI uri(int database, String username, String password) {
        RedisURI uri = RedisURI.create(url);
        uri.setDatabase(database);
        if (!username.isEmpty()) {
            uri.setUsername(username);
        }
        if (!password.isEmpty()) {
            uri.setPassword(password);
        }
        uri.setTimeout(timeout);
        return uri;
    }

    /** Hears of every (re)connection of this cluster's connections. */
    void onConnected(Runnable listener) {
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, java.net.SocketAddress address) {
                listener.run();
            }
        });
    }

    /** Why a connect failed, in words an operator acts on (refused credentials are said so). */
    static String reason(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof RedisCommandExecutionException refused) {
                String message = String.valueOf(refused.getMessage());
                if (message.startsWith("WRONGPASS") || message.startsWith("NOAUTH")
                        || message.contains("invalid password") || message.contains("invalid username-password")) {
                    return "the credentials were refused (" + message + ")";
                }
                return message;
            }
        }
        Throwable root = error;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return "cannot connect (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }

    @Override
    public void close() {
        connections.values().forEach(connecting -> connecting.connection().thenAccept(StatefulRedisConnection::closeAsync));
        client.shutdownAsync(0, 2, java.util.concurrent.TimeUnit.SECONDS);
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
