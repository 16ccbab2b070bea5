package io.wasmgateway.host;

import io.wasmgateway.host.shared.SharedData;
import io.wasmgateway.host.shared.SharedQueues;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

/** Services for a host used without a proxy around it (tests, tools): no upstreams, in-memory metrics. */
final class StandaloneServices {

    private static volatile HostServices instance;

    private StandaloneServices() {
    }

    static HostServices get() {
        HostServices services = instance;
        if (services == null) {
            synchronized (StandaloneServices.class) {
                if (instance == null) {
                    instance = create();
                }
                services = instance;
            }
        }
        return services;
    }

    private static HostServices create() {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "wasm-standalone-timer");
            thread.setDaemon(true);
            return thread;
        });
        return new HostServices(HttpCallDispatcher.NONE,
                new SharedData(10_000, 16L * 1024 * 1024, SharedData.Eviction.LRU),
                new SharedQueues(1_000, 10_000, 16L * 1024 * 1024), new InMemoryMetrics(), scheduler,
                CallbackObserver.NONE);
    }

    /** Metrics kept in plain counters. */
    private static final class InMemoryMetrics implements MetricSink {

        private final Map<String, Metric> metrics = new ConcurrentHashMap<>();

        @Override
        public Metric define(String module, Type type, String name) {
            return metrics.computeIfAbsent(module + '\0' + name, key -> new Value(type));
        }

        private record Value(Type type, AtomicLong current) implements Metric {

            Value(Type type) {
                this(type, new AtomicLong());
            }

            @Override
            public void increment(long delta) {
                current.addAndGet(delta);
            }

            @Override
            public void record(long value) {
                if (type == Type.GAUGE) {
                    current.set(value);
                } else {
                    current.addAndGet(value);
                }
            }

            @Override
            public long value() {
                return current.get();
            }
        }
    }
}
