package io.wasmgateway.host.shared;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The entry and byte counts of the whole {@link SharedData} store, kept within its limits. Both counts change
 * together in one compare-and-set, so no interleaving of stripes can push either past its limit, and no lock
 * is shared between stripes.
 */
final class Usage {

    record Counts(int entries, long bytes) {
    }

    private final int maxEntries;
    private final long maxBytes;
    private final AtomicReference<Counts> counts = new AtomicReference<>(new Counts(0, 0));

    Usage(int maxEntries, long maxBytes) {
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
    }

    int maxEntries() {
        return maxEntries;
    }

    long maxBytes() {
        return maxBytes;
    }

    Counts counts() {
        return counts.get();
    }

    /**
     * Adds the deltas if the result stays within the limits. A delta that does not grow a count always
     * succeeds, since the counts never exceed the limits.
     *
     * @return false, changing nothing, when the result would exceed a limit
     */
    boolean tryAdd(int entries, long bytes) {
        while (true) {
            Counts current = counts.get();
            Counts next = new Counts(current.entries() + entries, current.bytes() + bytes);
            if (next.entries() > maxEntries || next.bytes() > maxBytes) {
                return false;
            }
            if (counts.compareAndSet(current, next)) {
                return true;
            }
        }
    }

    /** Subtracts what a removed entry held. */
    void release(int entries, long bytes) {
        counts.updateAndGet(c -> new Counts(c.entries() - entries, c.bytes() - bytes));
    }
}
