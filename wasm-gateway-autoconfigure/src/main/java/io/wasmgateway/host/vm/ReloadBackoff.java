package io.wasmgateway.host.vm;

/**
 * The pause before replacing an instance again under fail-reload: none after a first failure, then 100 ms,
 * doubling with each failure in a row, at most 30 s. A failure in a row is a replacement that could not start,
 * or an instance that broke before any of its callbacks returned normally.
 */
final class ReloadBackoff {

    static final long FIRST_MILLIS = 100;
    static final long MAX_MILLIS = 30_000;

    private ReloadBackoff() {
    }

    static long delayMillis(int failuresInARow) {
        if (failuresInARow <= 1) {
            return 0;
        }
        int doublings = Math.min(failuresInARow - 2, 20);
        return Math.min(FIRST_MILLIS << doublings, MAX_MILLIS);
    }
}
