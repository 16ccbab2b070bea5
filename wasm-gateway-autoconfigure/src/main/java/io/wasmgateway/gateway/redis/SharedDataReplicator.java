package io.wasmgateway.gateway.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.wasmgateway.host.shared.SharedData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

/**
 * Replicates the shared-data keys of the configured prefixes to every gateway through one Redis.
 *
 * <p><b>Consistency: last writer at Redis wins.</b> Reads stay local. A local write (a filter's
 * proxy_set_shared_data, an operator's Actuator write or delete) is applied locally at once, as the ABI
 * requires, and sent to Redis without blocking, where one script gives it the next version of a Redis counter
 * ({@code INCR}), stores value and version in two hashes and publishes the change. Every gateway (the writer
 * too) applies a change whose version is higher than the one it holds for the key, so all gateways converge on
 * the order in which writes reached Redis; deletions keep their version as a tombstone. A gateway reads the
 * whole state (one script, atomic) at start, after every reconnect and every {@code resync-interval}, which
 * also repairs a lost message. While Redis is unreachable a gateway serves its local view and keeps its own
 * latest write per key, sent when Redis is back. CAS numbers stay local: a cluster-wide compare-and-swap (an
 * exact counter) needs Redis calls, not shared data.
 */
public class SharedDataReplicator implements InitializingBean, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(SharedDataReplicator.class);

    // KEYS: counter, values, versions; ARGV: channel, op ("s" set, "d" delete), key, value
    private static final String WRITE = "local v = redis.call('INCR', KEYS[1]) "
            + "if ARGV[2] == 's' then redis.call('HSET', KEYS[2], ARGV[3], ARGV[4]) "
            + "else redis.call('HDEL', KEYS[2], ARGV[3]) end "
            + "redis.call('HSET', KEYS[3], ARGV[3], v) "
            + "redis.call('PUBLISH', ARGV[1], v .. ' ' .. ARGV[2] .. ' ' .. string.len(ARGV[3]) .. ' ' .. ARGV[3] .. ARGV[4]) "
            + "return v";

    // KEYS: versions, values, counter
    private static final String SNAPSHOT = "return {redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', KEYS[2]), "
            + "tonumber(redis.call('GET', KEYS[3]) or '0')}";

    private static final byte[] NO_VALUE = new byte[0];

    /** A local write not yet accepted by Redis: the latest per key wins. */
    private record Pending(byte[] value, long sequence) {
    }

    private final SharedData data;
    private final RedisCluster cluster;
    private final List<String> prefixes;
    private final byte[][] keys; // counter, values, versions
    private final byte[] channel;
    private final ScheduledExecutorService scheduler;
    private final Duration resyncInterval;
    private final Map<String, Long> versions = new ConcurrentHashMap<>();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong highestVersion = new AtomicLong(); // the highest Redis version seen
    private final AtomicBoolean resyncNeeded = new AtomicBoolean(true);
    private final AtomicBoolean working = new AtomicBoolean();
    private volatile long lastResync;
    private volatile StatefulRedisPubSubConnection<byte[], byte[]> subscription;
    private ScheduledFuture<?> tick;

    public SharedDataReplicator(SharedData data, RedisCluster cluster, WasmRedisProperties.Replication replication,
            ScheduledExecutorService scheduler) {
        this.data = data;
        this.cluster = cluster;
        this.prefixes = List.copyOf(replication.getPrefixes());
        String namespace = replication.getNamespace();
        this.keys = new byte[][] {bytes(namespace + ":shared-data:version"), bytes(namespace + ":shared-data:values"),
            bytes(namespace + ":shared-data:versions")};
        this.channel = bytes(namespace + ":shared-data:changes");
        this.scheduler = scheduler;
        this.resyncInterval = replication.getResyncInterval();
    }

    /** Subscribes, reads the current state (waiting a little for it at startup), then listens to local writes. */
    @Override
    public void afterPropertiesSet() {
        data.listen(this::written);
        cluster.onConnected(() -> resyncNeeded.set(true));
        subscribe();
        try {
            work().get(cluster.timeout().toMillis() * 4, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.warn("shared-data replication through Redis cluster '{}': the current state could not be read at "
                    + "startup ({}); serving the local state and trying again", cluster.name(), e.toString());
        }
        tick = scheduler.scheduleWithFixedDelay(this::tick, 200, 200, TimeUnit.MILLISECONDS);
    }

    @Override
    public void destroy() {
        data.listen(null);
        if (tick != null) {
            tick.cancel(false);
        }
        StatefulRedisPubSubConnection<byte[], byte[]> connection = subscription;
        if (connection != null) {
            connection.closeAsync();
        }
    }

    boolean replicates(String key) {
        for (String prefix : prefixes) {
            if (key.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** A local write (any thread, often an event loop inside a guest call): only starts the send. */
    private void written(String key, byte[] value) {
        if (!replicates(key)) {
            return;
        }
        Pending write = new Pending(value, sequence.incrementAndGet());
        pending.merge(key, write, (old, next) -> next.sequence() > old.sequence() ? next : old);
        send(key, write);
    }

    private CompletableFuture<Void> send(String key, Pending write) {
        return cluster.connection().thenCompose(connection -> connection.async()
            .<Long>eval(WRITE, ScriptOutputType.INTEGER, keys, channel, bytes(write.value() == null ? "d" : "s"),
                    bytes(key), write.value() == null ? NO_VALUE : write.value())
            .toCompletableFuture())
            .thenAccept(version -> {
                pending.remove(key, write);
                highestVersion.accumulateAndGet(version, Math::max);
            })
            .exceptionally(error -> null); // kept pending: sent again when Redis is back
    }

    /** Every 200 ms on the timer thread: sends what Redis missed and resyncs when due. */
    private void tick() {
        boolean due = resyncNeeded.get() || System.nanoTime() - lastResync > resyncInterval.toNanos();
        if ((due || !pending.isEmpty()) && working.compareAndSet(false, true)) {
            work().whenComplete((ok, error) -> working.set(false));
        }
    }

    /** Sends the pending writes, then reads the whole state. */
    private CompletableFuture<Void> work() {
        if (subscription == null) {
            subscribe();
        }
        CompletableFuture<?>[] sends = pending.entrySet().stream()
            .map(entry -> send(entry.getKey(), entry.getValue()))
            .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(sends).thenCompose(sent -> resync());
    }

    private CompletableFuture<Void> resync() {
        resyncNeeded.set(false);
        return cluster.connection().thenCompose(this::snapshot).whenComplete((ok, error) -> {
            if (error != null) {
                resyncNeeded.set(true);
            } else {
                lastResync = System.nanoTime();
            }
        });
    }

    private CompletableFuture<Void> snapshot(StatefulRedisConnection<byte[], byte[]> connection) {
        return connection.async()
            .<List<Object>>eval(SNAPSHOT, ScriptOutputType.MULTI, keys[2], keys[1], keys[0])
            .toCompletableFuture()
            .thenAccept(state -> {
                long counter = (Long) state.get(2);
                if (counter < highestVersion.get()) {
                    restore(counter);
                    return;
                }
                List<?> versionPairs = (List<?>) state.get(0);
                List<?> valuePairs = (List<?>) state.get(1);
                Map<String, byte[]> values = new java.util.HashMap<>();
                for (int i = 0; i + 1 < valuePairs.size(); i += 2) {
                    values.put(string((byte[]) valuePairs.get(i)), (byte[]) valuePairs.get(i + 1));
                }
                for (int i = 0; i + 1 < versionPairs.size(); i += 2) {
                    String key = string((byte[]) versionPairs.get(i));
                    long version = Long.parseLong(string((byte[]) versionPairs.get(i + 1)));
                    applyRemote(key, version, values.get(key));
                }
            });
    }

    /**
     * Redis lost its state (restarted without persistence, flushed): its counter is behind the versions this
     * gateway has seen. Forget them and send every local replicated key again, so that the survivors repopulate
     * Redis (last writer wins among them too).
     */
    private void restore(long counter) {
        log.warn("shared-data replication: Redis cluster '{}' lost its state (version {} after {}); sending this "
                + "gateway's replicated keys again", cluster.name(), counter, highestVersion.get());
        versions.clear();
        highestVersion.set(counter);
        for (String prefix : prefixes) {
            for (String key : data.keys(prefix, 0, Integer.MAX_VALUE).keys()) {
                SharedData.Value value = data.peek(key);
                if (value != null) {
                    pending.putIfAbsent(key, new Pending(value.value(), sequence.incrementAndGet()));
                }
            }
        }
        resyncNeeded.set(true);
    }

    private void subscribe() {
        cluster.connectPubSub().thenAccept(connection -> {
            connection.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(byte[] from, byte[] message) {
                    received(message);
                }
            });
            connection.async().subscribe(channel).whenComplete((ok, error) -> {
                if (error == null) {
                    subscription = connection;
                    resyncNeeded.set(true); // messages before the subscription are read in the snapshot
                } else {
                    connection.closeAsync();
                }
            });
        }).exceptionally(error -> {
            log.debug("shared-data replication: cannot subscribe yet", error);
            return null;
        });
    }

    /** "version op keyLength key value" from the write script. */
    private void received(byte[] message) {
        try {
            int first = indexOf(message, (byte) ' ', 0);
            int second = indexOf(message, (byte) ' ', first + 1);
            int third = indexOf(message, (byte) ' ', second + 1);
            long version = Long.parseLong(new String(message, 0, first, StandardCharsets.US_ASCII));
            boolean set = message[first + 1] == 's';
            int keyLength = Integer.parseInt(new String(message, second + 1, third - second - 1,
                    StandardCharsets.US_ASCII));
            String key = new String(message, third + 1, keyLength, StandardCharsets.UTF_8);
            byte[] value = set ? Arrays.copyOfRange(message, third + 1 + keyLength, message.length) : null;
            applyRemote(key, version, value);
        } catch (RuntimeException malformed) {
            log.warn("shared-data replication: ignored a malformed change message", malformed);
        }
    }

    /** Applies a change when it is newer than what this gateway holds for the key (value null: deleted). */
    private void applyRemote(String key, long version, byte[] value) {
        if (!replicates(key)) {
            return;
        }
        highestVersion.accumulateAndGet(version, Math::max);
        boolean[] newer = {false};
        versions.compute(key, (k, held) -> {
            if (held == null || version > held) {
                newer[0] = true;
                return version;
            }
            return held;
        });
        if (!newer[0]) {
            return;
        }
        SharedData.Value local = data.peek(key);
        if (value == null ? local == null : local != null && Arrays.equals(local.value(), value)) {
            return; // already so here (this gateway's own write coming back): keep its cas
        }
        data.apply(key, value);
    }

    /** Keys waiting to reach Redis, for health and tests. */
    int pendingCount() {
        return pending.size();
    }

    private static int indexOf(byte[] data, byte wanted, int from) {
        for (int i = from; i < data.length; i++) {
            if (data[i] == wanted) {
                return i;
            }
        }
        throw new IllegalArgumentException("no separator");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String string(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
