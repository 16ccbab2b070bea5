package io.wasmgateway.gateway.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.wasmgateway.host.MetricSink;

/**
 * Filters' metrics in Micrometer: a counter becomes a {@link Counter}, a gauge a {@link Gauge} holding the last
 * value, a histogram a {@link DistributionSummary}; each named {@code wasm.filter.<the filter's name>} and tagged
 * {@code module}. Names are kept as the filter wrote them (Envoy-style dotted names such as
 * {@code demo.requests.method.GET} stay readable: Prometheus shows
 * {@code wasm_filter_demo_requests_method_GET_total}).
 */
public class MicrometerMetricSink implements MetricSink {

    private final MeterRegistry registry;

    private final Map<String, Metric> metrics = new ConcurrentHashMap<>();

    public MicrometerMetricSink(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public Metric define(String module, Type type, String name) {
        return metrics.computeIfAbsent(module + '\0' + name, key -> create(module, type, "wasm.filter." + name));
    }

    private Metric create(String module, Type type, String name) {
        return switch (type) {
            case COUNTER -> new CounterMetric(Counter.builder(name).tag("module", module)
                .description("A counter defined by a Proxy-Wasm filter").register(registry));
            case GAUGE -> {
                AtomicLong value = new AtomicLong();
                Gauge.builder(name, value, AtomicLong::get).tag("module", module)
                    .description("A gauge defined by a Proxy-Wasm filter").register(registry);
                yield new GaugeMetric(value);
            }
            case HISTOGRAM -> new HistogramMetric(DistributionSummary.builder(name).tag("module", module)
                .description("A histogram defined by a Proxy-Wasm filter").register(registry));
        };
    }

    private record CounterMetric(Counter counter) implements Metric {

        @Override
        public void increment(long delta) {
            counter.increment(delta);
        }

        @Override
        public void record(long value) {
            counter.increment(value); // as Envoy: recording on a counter adds
        }

        @Override
        public long value() {
            return (long) counter.count();
        }
    }

    private record GaugeMetric(AtomicLong current) implements Metric {

        @Override
        public void increment(long delta) {
            current.addAndGet(delta);
        }

        @Override
        public void record(long value) {
            current.set(value);
        }

        @Override
        public long value() {
            return current.get();
        }
    }

    private record HistogramMetric(DistributionSummary summary) implements Metric {

        @Override
        public void increment(long delta) {
            summary.record(delta);
        }

        @Override
        public void record(long value) {
            summary.record(value);
        }

        /** Envoy cannot read a histogram back; here it reads as the number of recorded values. */
        @Override
        public long value() {
            return summary.count();
        }
    }
}
