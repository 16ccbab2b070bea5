package io.wasmgateway.gateway.calls.grpc;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The timer {@code wasm.grpc.calls}, tagged {@code cluster}, {@code kind} ({@code unary} or {@code stream}) and
 * {@code status} (the gRPC status code's name: OK, DEADLINE_EXCEEDED, UNAVAILABLE, CANCELLED, ...).
 */
public class GrpcCallMetrics {

    /** Records nothing: for gateways without Micrometer. */
    public static final GrpcCallMetrics NONE = new GrpcCallMetrics(null);

    private final MeterRegistry registry;

    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public GrpcCallMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(String cluster, boolean unary, String status, long nanos) {
        if (registry == null) {
            return;
        }
        String kind = unary ? "unary" : "stream";
        timers.computeIfAbsent(cluster + '\0' + kind + '\0' + status, key -> Timer.builder("wasm.grpc.calls")
            .description("gRPC calls and streams made by Proxy-Wasm filters")
            .tag("cluster", cluster)
            .tag("kind", kind)
            .tag("status", status)
            .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }
}
