package io.wasmgateway.host.shared;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's shared queues ({@code proxy_register_shared_queue}, {@code proxy_resolve_shared_queue},
 * {@code proxy_enqueue_shared_queue}, {@code proxy_dequeue_shared_queue}).
 *
 * <p>A queue is named by the registering VM's vm_id and a name, and known to everyone by its id: nonzero, and
 * never reused (queues are never removed, and ids count up). Any VM of any module may resolve a queue by the
 * registering vm_id and the name, enqueue to it and dequeue from it. Each queue is bounded by
 * {@code maxDepth} messages and {@code maxBytes} bytes; a message that does not fit is refused with
 * {@link SharedStatus#FULL} ({@link SharedStatus#TOO_LARGE} when larger than {@code maxBytes} on its own), and
 * there are at most {@code maxQueues} queues.
 *
 * <p><b>Wake-ups.</b> Every VM instance of a module has the same vm_id, and each one's root context typically
 * registers the same queue at start-up: they all get the same queue, whose messages are kept. As in
 * proxy-wasm-cpp-host (and so Envoy), the latest registration wins: each enqueue calls the
 * {@link QueueListener} of the latest registration only, so one VM consumes rather than every VM racing for
 * each message. Unlike cpp-host, earlier registrations are remembered: when the host discards a VM
 * ({@link #removeListener}), the previous registrant still alive takes over the wake-ups.
 *
 * <p>Enqueue and dequeue lock only their queue; registration, which is rare, is serialised.
 */
public final class SharedQueues {

    /** What the Actuator shows of a queue. */
    public record QueueInfo(int id, String vmId, String name, int depth, long bytes) {
    }

    /**
     * The outcome of a dequeue: OK with the message, or EMPTY or NOT_FOUND with none.
     *
     * @param message the oldest message, now owned by the caller; null unless the status is OK
     */
    public record Dequeued(SharedStatus status, byte[] message) {

        static final Dequeued EMPTY = new Dequeued(SharedStatus.EMPTY, null);
        static final Dequeued NOT_FOUND = new Dequeued(SharedStatus.NOT_FOUND, null);
    }

    private record Name(String vmId, String name) {
    }

    private final int maxQueues;
    private final int maxDepth;
    private final long maxBytes;
    private final Map<Name, SharedQueue> byName = new ConcurrentHashMap<>();
    private final Map<Integer, SharedQueue> byId = new ConcurrentHashMap<>();
    private int lastId; // guarded by this

    /**
     * @param maxQueues at least 1: queues in all
     * @param maxDepth  at least 1: messages per queue
     * @param maxBytes  at least 1: bytes of the messages of one queue
     */
    public SharedQueues(int maxQueues, int maxDepth, long maxBytes) {
        if (maxQueues < 1 || maxDepth < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("maxQueues, maxDepth and maxBytes must be positive: " + maxQueues
                    + ", " + maxDepth + ", " + maxBytes);
        }
        this.maxQueues = maxQueues;
        this.maxDepth = maxDepth;
        this.maxBytes = maxBytes;
    }

    /**
     * Registers the queue {@code name} of {@code vmId}, or registers again with an existing one (keeping its
     * id and messages), and makes {@code listener} the one woken by enqueues.
     *
     * @return the queue id; empty when the queue is new and there are already maxQueues queues
     */
    public synchronized OptionalInt register(String vmId, String name, QueueListener listener) {
        Objects.requireNonNull(listener, "listener");
        Name key = new Name(Objects.requireNonNull(vmId, "vmId"), Objects.requireNonNull(name, "name"));
        SharedQueue queue = byName.get(key);
        if (queue == null) {
            if (byName.size() >= maxQueues) {
                return OptionalInt.empty();
            }
            // lastId < maxQueues <= Integer.MAX_VALUE, as queues are never removed: it cannot wrap to 0
            queue = new SharedQueue(++lastId, vmId, name, maxDepth, maxBytes);
            byId.put(queue.id, queue);
            byName.put(key, queue);
        }
        queue.addListener(listener);
        return OptionalInt.of(queue.id);
    }

    /** The id of the queue {@code name} registered by {@code vmId}; empty when there is none. */
    public OptionalInt resolve(String vmId, String name) {
        SharedQueue queue = byName.get(new Name(vmId, name));
        return queue == null ? OptionalInt.empty() : OptionalInt.of(queue.id);
    }

    /**
     * Appends the message, then calls the latest registration's {@link QueueListener}.
     *
     * @param message kept by the queue, not copied
     * @return OK; NOT_FOUND for an unknown id; FULL at the depth or byte limit; TOO_LARGE for a message larger
     *         than maxBytes
     */
    public SharedStatus enqueue(int queueId, byte[] message) {
        Objects.requireNonNull(message, "message");
        SharedQueue queue = byId.get(queueId);
        return queue == null ? SharedStatus.NOT_FOUND : queue.enqueue(message);
    }

    /** Takes the oldest message: OK with it, EMPTY, or NOT_FOUND for an unknown id. */
    public Dequeued dequeue(int queueId) {
        SharedQueue queue = byId.get(queueId);
        if (queue == null) {
            return Dequeued.NOT_FOUND;
        }
        byte[] message = queue.dequeue();
        return message == null ? Dequeued.EMPTY : new Dequeued(SharedStatus.OK, message);
    }

    /** Removes every message of the queue: how many there were, or empty for an unknown id. */
    public OptionalInt drain(int queueId) {
        SharedQueue queue = byId.get(queueId);
        return queue == null ? OptionalInt.empty() : OptionalInt.of(queue.drain());
    }

    /** Every queue, by id. */
    public List<QueueInfo> list() {
        List<QueueInfo> infos = new ArrayList<>();
        for (SharedQueue queue : byId.values()) {
            infos.add(queue.info());
        }
        infos.sort(Comparator.comparingInt(QueueInfo::id));
        return infos;
    }

    /**
     * Forgets the listener on every queue, for a VM instance the host discards. Its queues and messages stay;
     * each is then woken through its previous registration still present, or not at all until the next one.
     */
    public void removeListener(QueueListener listener) {
        for (SharedQueue queue : byId.values()) {
            queue.removeListener(listener);
        }
    }
}
