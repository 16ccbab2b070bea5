package io.wasmgateway.gateway.calls;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** The timer {@code wasm.http.calls}, tagged {@code cluster} and {@code outcome} (success, 1xx/3xx/4xx/5xx, timeout,
 * error). */
public class HttpCallMetrics {

    /** Records nothing: for gateways without Micrometer. */
    public static final HttpCallMetrics NONE = new HttpCallMetrics(null);

    private final MeterRegistry registry;

    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public HttpCallMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(String cluster, String outcome, long nanos) {
        if (registry == null) {
            return;
        }
        timers.computeIfAbsent(cluster + '\0' + outcome, key -> Timer.builder("wasm.http.calls")
            .description("Outbound calls made by Proxy-Wasm filters")
            .tag("cluster", cluster)
            .tag("outcome", outcome)
            .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }
}
