package io.wasmgateway.it.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingOperationError;

/**
 * BlockHound for the whole test JVM: a blocking call on a non-blocking thread (Reactor Netty event loops,
 * Reactor's parallel scheduler) throws {@link BlockingOperationError} where it happens, and is recorded so that
 * {@link RuntimeChecks} fails the test class even when the error was swallowed on its way.
 */
public final class BlockingCalls {

    private static final List<String> detected = new CopyOnWriteArrayList<>();

    private BlockingCalls() {
    }

    static void install() {
        BlockHound.builder()
            .loadIntegrations()
            // Netty's adaptive allocator briefly locks a magazine when it grows its pool (large bodies)
            .allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup", "tryExpandMagazines")
            .blockingMethodCallback(method -> {
                detected.add(method + " on " + Thread.currentThread().getName());
                throw new BlockingOperationError(method);
            })
            .install();
    }

    /** The blocking calls detected since the last call, forgotten afterwards. */
    public static List<String> drain() {
        List<String> found = List.copyOf(detected);
        detected.clear();
        return found;
    }
}
