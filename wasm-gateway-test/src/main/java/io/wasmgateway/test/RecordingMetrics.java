package io.wasmgateway.test;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.wasmgateway.host.MetricSink;

/** The metrics a filter defines (proxy_define_metric), by name: counters and gauges hold their value, histograms the last one recorded. */
public final class RecordingMetrics implements MetricSink {

    private final Map<String, Recorded> metrics = new ConcurrentHashMap<>();

    @Override
    public Metric define(String module, Type type, String name) {
        return metrics.computeIfAbsent(name, key -> new Recorded(type, new AtomicLong(), new AtomicLong()));
    }

    /** The value of the metric of that name, or null when the filter defined none. */
    public Long value(String name) {
        Recorded metric = metrics.get(name);
        return metric == null ? null : metric.value();
    }

    /** How many values were recorded in a histogram (or increments made to a counter). */
    public long count(String name) {
        Recorded metric = metrics.get(name);
        return metric == null ? 0 : metric.count().get();
    }

    /** Every metric's value, by name. */
    public Map<String, Long> values() {
        Map<String, Long> all = new TreeMap<>();
        metrics.forEach((name, metric) -> all.put(name, metric.value()));
        return all;
    }

    private record Recorded(Type type, AtomicLong current, AtomicLong count) implements Metric {

        @Override
        public void increment(long delta) {
            current.addAndGet(delta);
            count.incrementAndGet();
        }

        @Override
        public void record(long value) {
            current.set(value);
            count.incrementAndGet();
        }

        @Override
        public long value() {
            return current.get();
        }
    }
}
