package io.wasmgateway.host.shared;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One stripe of {@link SharedData}: the entries whose keys hash to it, in a hash map threaded by a list in
 * least-recently-used order, all guarded by the stripe's monitor. A key always lives in the same stripe, so an
 * operation on a key locks that stripe only, for a hash lookup and a few pointer moves.
 */
final class Stripe {

    /** A stored entry and its place in the LRU list. */
    private static final class Node {
        final String key;
        final SharedData.Value value;
        final long size;
        long lastUsed;
        Node older;
        Node newer;

        Node(String key, SharedData.Value value, long size, long lastUsed) {
            this.key = key;
            this.value = value;
            this.size = size;
            this.lastUsed = lastUsed;
        }
    }

    private final Map<String, Node> entries = new HashMap<>();
    private final Usage usage;
    private final LongSupplier clock;
    private Node oldest;
    private Node newest;
    private int lastCas;

    /**
     * @param usage   the store-wide counts, shared by all stripes
     * @param clock   the time of a use, comparable across stripes and never decreasing; read under the lock,
     *                so each stripe's list is also in order of these times
     * @param lastCas the cas counter's start (the first cas is the next value)
     */
    Stripe(Usage usage, LongSupplier clock, int lastCas) {
        this.usage = usage;
        this.clock = clock;
        this.lastCas = lastCas;
    }

    /** The entry, made the most recently used when {@code touch} is set; null when absent. */
    synchronized SharedData.Value get(String key, boolean touch) {
        Node node = entries.get(key);
        if (node == null) {
            return null;
        }
        if (touch) {
            unlink(node);
            node.lastUsed = clock.getAsLong();
            linkNewest(node);
        }
        return node.value;
    }

    /**
     * Stores the value if the cas allows it (see {@link SharedData#set}) and the store has room.
     *
     * @return OK, CAS_MISMATCH, or FULL when {@link Usage} refused the growth (nothing changed then)
     */
    synchronized SharedStatus set(String key, byte[] value, int cas, long size) {
        Node old = entries.get(key);
        if (old != null && cas != 0 && cas != old.value.cas()) {
            return SharedStatus.CAS_MISMATCH;
        }
        int addedEntries = old == null ? 1 : 0;
        long addedBytes = old == null ? size : size - old.size;
        if (!usage.tryAdd(addedEntries, addedBytes)) {
            return SharedStatus.FULL;
        }
        if (old != null) {
            unlink(old);
        }
        Node node = new Node(key, new SharedData.Value(value, nextCas(old)), size, clock.getAsLong());
        entries.put(key, node);
        linkNewest(node);
        return SharedStatus.OK;
    }

    /** Removes the key if the cas allows it: cas 0 always does, otherwise it must be the current one. */
    synchronized SharedStatus delete(String key, int cas) {
        Node node = entries.get(key);
        if (node == null) {
            return SharedStatus.NOT_FOUND;
        }
        if (cas != 0 && cas != node.value.cas()) {
            return SharedStatus.CAS_MISMATCH;
        }
        remove(node);
        return SharedStatus.OK;
    }

    /** When the least recently used entry was last used; {@link Long#MAX_VALUE} when the stripe is empty. */
    synchronized long oldestUse() {
        return oldest == null ? Long.MAX_VALUE : oldest.lastUsed;
    }

    /** Removes the least recently used entry; false when the stripe is empty. */
    synchronized boolean evictOldest() {
        if (oldest == null) {
            return false;
        }
        remove(oldest);
        return true;
    }

    /** Adds the keys starting with {@code prefix} to {@code out}, in no particular order. */
    synchronized void collectKeys(String prefix, List<String> out) {
        for (String key : entries.keySet()) {
            if (key.startsWith(prefix)) {
                out.add(key);
            }
        }
    }

    /**
     * The next cas of this stripe's counter. A key stays in its stripe, so per-stripe counting is enough to keep
     * a key's cas from repeating until the counter has gone round all 2^32 - 1 values; it skips 0 (which means
     * "no cas" in the ABI) and the key's current cas, so every write changes the cas.
     */
    private int nextCas(Node old) {
        do {
            lastCas++;
        } while (lastCas == 0 || old != null && lastCas == old.value.cas());
        return lastCas;
    }

    private void remove(Node node) {
        entries.remove(node.key);
        unlink(node);
        usage.release(1, node.size);
    }

    private void linkNewest(Node node) {
        node.older = newest;
        node.newer = null;
        if (newest != null) {
            newest.newer = node;
        } else {
            oldest = node;
        }
        newest = node;
    }

    private void unlink(Node node) {
        if (node.older != null) {
            node.older.newer = node.newer;
        } else {
            oldest = node.newer;
        }
        if (node.newer != null) {
            node.newer.older = node.older;
        } else {
            newest = node.older;
        }
        node.older = null;
        node.newer = null;
    }
}
