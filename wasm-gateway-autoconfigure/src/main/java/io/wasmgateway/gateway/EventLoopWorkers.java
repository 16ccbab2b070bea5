package io.wasmgateway.gateway;

/**
 * How many event-loop threads Reactor Netty runs by default, computed as reactor-netty computes
 * {@code LoopResources.DEFAULT_IO_WORKER_COUNT}: the system property {@code reactor.netty.ioWorkerCount}, else
 * the number of processors but at least 4. A module gets that many VM instances by default, so that every
 * event loop has its own VM and no request waits for another.
 */
public final class EventLoopWorkers {

    static final String IO_WORKER_COUNT_PROPERTY = "reactor.netty.ioWorkerCount";

    private EventLoopWorkers() {
    }

    public static int defaultCount() {
        String configured = System.getProperty(IO_WORKER_COUNT_PROPERTY);
        if (configured != null) {
            return Integer.parseInt(configured.trim());
        }
        return Math.max(Runtime.getRuntime().availableProcessors(), 4);
    }
}
