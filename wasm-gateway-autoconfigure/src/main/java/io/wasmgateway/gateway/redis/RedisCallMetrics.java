package io.wasmgateway.gateway.redis;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The timer {@code wasm.redis.calls}, tagged {@code cluster} and {@code outcome}: success, error-reply (Redis
 * answered with an error), refused (a command a shared connection cannot carry), timeout, too-large, error.
 */
public class RedisCallMetrics {

    /** Records nothing: for gateways without Micrometer. */
    public static final RedisCallMetrics NONE = new RedisCallMetrics(null);

    private final MeterRegistry registry;

    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public RedisCallMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(String cluster, String outcome, long nanos) {
        if (registry == null) {
            return;
        }
        timers.computeIfAbsent(cluster + '\0' + outcome, key -> Timer.builder("wasm.redis.calls")
            .description("Redis calls made by Proxy-Wasm filters")
            .tag("cluster", cluster)
            .tag("outcome", outcome)
            .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }
}
