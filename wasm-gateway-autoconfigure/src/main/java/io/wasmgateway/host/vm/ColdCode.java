package io.wasmgateway.host.vm;

import io.wasmgateway.host.abi.Limits;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether a module's code is still cold: the first {@link Limits#COLD_CALLBACKS} callbacks of a module, across its
 * instances (they share the compiled classes, and so HotSpot's warm-up), run under the cold budget. After that a
 * callback costs one plain read here.
 */
final class ColdCode {

    private final AtomicInteger callbacksLeft = new AtomicInteger(Limits.COLD_CALLBACKS);

    /** The budget of the next callback: {@code cold} while the code is cold, {@code warm} afterwards. */
    long budget(long warm, long cold) {
        if (callbacksLeft.get() <= 0) {
            return warm;
        }
        callbacksLeft.decrementAndGet();
        return cold;
    }
}
