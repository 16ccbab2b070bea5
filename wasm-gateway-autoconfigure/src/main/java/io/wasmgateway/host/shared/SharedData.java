package io.wasmgateway.host.shared;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The gateway's one shared data store ({@code proxy_get_shared_data} / {@code proxy_set_shared_data}): every
 * VM instance of every module sees a write as soon as it returns. Keys are strings (the host decodes the guest's
 * key bytes as UTF-8); values are bytes with a cas number.
 *
 * <p><b>cas.</b> A cas is an unsigned 32-bit number held in an {@code int}: never 0, changed by every write of
 * the key, and not repeated for a key until 2^32 - 1 further writes have gone to its stripe. Semantics follow
 * proxy-wasm-cpp-host ({@code src/shared_data.cc}) exactly:
 * <ul>
 *   <li>cas 0 sets unconditionally;</li>
 *   <li>a cas that is not the key's current one gives {@link SharedStatus#CAS_MISMATCH};</li>
 *   <li>a missing key is set whatever the cas (so a guest whose key was deleted or evicted between its get and
 *       its set succeeds, as it would on Envoy).</li>
 * </ul>
 * Unlike cpp-host, which keeps one map per vm_id, there is one key space for the whole gateway.
 *
 * <p><b>Limits.</b> At most {@code maxEntries} entries and {@code maxBytes} bytes, counting each entry as the
 * UTF-8 length of its key plus the length of its value. A set that would exceed a limit evicts least recently
 * used entries ({@link Eviction#LRU}) or fails with {@link SharedStatus#FULL}, changing nothing
 * ({@link Eviction#NONE}). An entry larger than {@code maxBytes} on its own fails with
 * {@link SharedStatus#TOO_LARGE} under either policy, without evicting anything.
 *
 * <p><b>Concurrency.</b> Every operation is atomic. Keys are spread over 16 stripes, each with
 * its own lock held only for a hash lookup; the store-wide counts are one lock-free {@link Usage}. Only an
 * eviction looks at every stripe, to find the least recently used entry of the whole store.
 *
 * <p><b>Ownership.</b> {@link #set} keeps the array it is given and {@link #get} returns the stored array, so
 * the hot path copies nothing beyond the host's copy from guest memory: callers must not modify either.
 */
public final class SharedData {

    /** What a set does when the store is full. */
    public enum Eviction {
        /** Evict least recently used entries (read or written) until the new entry fits. */
        LRU,
        /** Fail the set with {@link SharedStatus#FULL}; nothing already stored is lost. */
        NONE
    }

    /**
     * A stored value and its cas.
     *
     * @param value the bytes; must not be modified
     * @param cas   unsigned 32-bit, never 0 ({@link Integer#toUnsignedLong(int)} to display it)
     */
    public record Value(byte[] value, int cas) {
    }

    /**
     * One page of keys.
     *
     * @param keys  the page, sorted
     * @param total how many keys match the prefix in all
     */
    public record KeyPage(List<String> keys, int total) {
    }

    /**
     * A snapshot of the store's size, limits and counters.
     *
     * @param evictions entries evicted to make room since start
     * @param refused   sets that failed with {@link SharedStatus#FULL} or {@link SharedStatus#TOO_LARGE}
     */
    public record Stats(int entries, long bytes, int maxEntries, long maxBytes, Eviction eviction, long evictions,
            long refused) {
    }

    /**
     * Hears of every write that changed the store through {@link #set} or {@link #delete} (not through
     * {@link #apply}), after it happened, on the writer's thread (a guest's callback or an operator's request):
     * it must not block. Used to replicate writes to other gateways.
     */
    @FunctionalInterface
    public interface WriteListener {
        /** @param value the new value (not to be modified), or null when the key was deleted */
        void written(String key, byte[] value);
    }

    static final int STRIPES = 16;

    private volatile WriteListener listener;

    private final Stripe[] stripes = new Stripe[STRIPES];
    private final Usage usage;
    private final Eviction eviction;
    private final LongAdder evictions = new LongAdder();
    private final LongAdder refused = new LongAdder();

    /**
     * @param maxEntries at least 1
     * @param maxBytes   at least 1: key and value bytes of all entries
     * @param eviction   what a set does when the store is full
     */
    public SharedData(int maxEntries, long maxBytes, Eviction eviction) {
        this(maxEntries, maxBytes, eviction, nanoClock(), 0);
    }

    /** For tests: a chosen clock, and a cas counter starting after {@code lastCas}. */
    SharedData(int maxEntries, long maxBytes, Eviction eviction, LongSupplier clock, int lastCas) {
        if (maxEntries < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("maxEntries and maxBytes must be positive: " + maxEntries + ", "
                    + maxBytes);
        }
        this.usage = new Usage(maxEntries, maxBytes);
        this.eviction = Objects.requireNonNull(eviction, "eviction");
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe(usage, clock, lastCas);
        }
    }

    /**
     * The guest's read: the value and cas, or null when the key is absent. Makes the key the most recently used.
     */
    public Value get(String key) {
        return stripeOf(key).get(key, eviction == Eviction.LRU);
    }

    /** An operator's read: as {@link #get} but leaves the key's place in the LRU order alone. */
    public Value peek(String key) {
        return stripeOf(key).get(key, false);
    }

    /**
     * Sets the key's value and gives it a new cas.
     *
     * @param value kept by the store, not copied
     * @param cas   0 to set unconditionally, else the cas the caller read
     * @return OK; CAS_MISMATCH when the key exists with another cas; FULL when there is no room and eviction is
     *         NONE; TOO_LARGE when the entry alone exceeds maxBytes
     */
    public SharedStatus set(String key, byte[] value, int cas) {
        SharedStatus status = store(key, value, cas);
        WriteListener heard = listener;
        if (heard != null && status == SharedStatus.OK) {
            heard.written(key, value);
        }
        return status;
    }

    /**
     * A write that happened elsewhere (another gateway, through replication): sets the value unconditionally,
     * or deletes the key when the value is null, without telling the {@link WriteListener}.
     */
    public SharedStatus apply(String key, byte[] value) {
        return value == null ? stripeOf(key).delete(key, 0) : store(key, value, 0);
    }

    /** Sets the one listener of local writes (replaces any earlier one; null: none). */
    public void listen(WriteListener listener) {
        this.listener = listener;
    }

    private SharedStatus store(String key, byte[] value, int cas) {
        Objects.requireNonNull(value, "value");
        long size = utf8Length(key) + (long) value.length;
        if (size > usage.maxBytes()) {
            refused.increment();
            return SharedStatus.TOO_LARGE;
        }
        Stripe stripe = stripeOf(key);
        while (true) {
            SharedStatus status = stripe.set(key, value, cas, size);
            if (status != SharedStatus.FULL) {
                return status;
            }
            if (eviction == Eviction.NONE) {
                refused.increment();
                return SharedStatus.FULL;
            }
            // Evict, then retry the whole set: the cas is checked again, as the key may have changed meanwhile.
            // This ends: each round evicts an entry or finds the store empty, where the entry fits (size and
            // maxEntries were checked), unless other sets filled it first, and then they made progress.
            evictLeastRecentlyUsed();
        }
    }

    /**
     * Removes the key.
     *
     * @param cas 0 to delete unconditionally, else the cas the caller read
     * @return OK; NOT_FOUND; CAS_MISMATCH when the key exists with another cas
     */
    public SharedStatus delete(String key, int cas) {
        SharedStatus status = stripeOf(key).delete(key, cas);
        WriteListener heard = listener;
        if (heard != null && status == SharedStatus.OK) {
            heard.written(key, null);
        }
        return status;
    }

    /** Removes the key unconditionally: OK or NOT_FOUND. */
    public SharedStatus delete(String key) {
        return delete(key, 0);
    }

    /**
     * The keys starting with {@code prefix}, sorted, from {@code offset}, at most {@code limit} of them. Does
     * not change the LRU order. Sorts every matching key, so it costs O(n log n): meant for operators, not
     * for guests.
     */
    public KeyPage keys(String prefix, int offset, int limit) {
        Objects.requireNonNull(prefix, "prefix");
        if (offset < 0 || limit < 0) {
            throw new IllegalArgumentException("offset and limit must not be negative: " + offset + ", " + limit);
        }
        List<String> matching = new ArrayList<>();
        for (Stripe stripe : stripes) {
            stripe.collectKeys(prefix, matching);
        }
        matching.sort(null);
        int from = Math.min(offset, matching.size());
        int to = (int) Math.min((long) from + limit, matching.size());
        return new KeyPage(List.copyOf(matching.subList(from, to)), matching.size());
    }

    public Stats stats() {
        Usage.Counts counts = usage.counts();
        return new Stats(counts.entries(), counts.bytes(), usage.maxEntries(), usage.maxBytes(), eviction,
                evictions.sum(), refused.sum());
    }

    /** Evicts the entry used longest ago in the whole store: the oldest of the stripes' least recently used. */
    private void evictLeastRecentlyUsed() {
        Stripe victim = null;
        long oldestUse = Long.MAX_VALUE;
        for (Stripe stripe : stripes) {
            long use = stripe.oldestUse();
            if (use < oldestUse) {
                oldestUse = use;
                victim = stripe;
            }
        }
        // The victim stripe's oldest entry may have changed since: it is still that stripe's oldest, close enough.
        if (victim != null && victim.evictOldest()) {
            evictions.increment();
        }
    }

    private Stripe stripeOf(String key) {
        int h = key.hashCode();
        return stripes[(h ^ (h >>> 16)) & (STRIPES - 1)];
    }

    /** Nanoseconds since the store was made: never negative, so Long.MAX_VALUE can mean "no entry". */
    private static LongSupplier nanoClock() {
        long origin = System.nanoTime();
        return () -> System.nanoTime() - origin;
    }

    /** The UTF-8 length of the string, without encoding it. */
    static int utf8Length(String s) {
        int bytes = s.length();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x800) {
                // 3 bytes; a surrogate pair is 4 bytes for its 2 chars, so 2 each either way
                bytes += Character.isSurrogate(c) ? 1 : 2;
            } else if (c >= 0x80) {
                bytes += 1;
            }
        }
        return bytes;
    }
}
