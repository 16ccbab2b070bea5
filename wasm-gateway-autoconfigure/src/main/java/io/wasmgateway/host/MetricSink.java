package io.wasmgateway.host;

/** Where a filter's metrics (proxy_define_metric and friends) are kept. Implemented by the proxy (Micrometer). */
public interface MetricSink {

    /** The ABI's metric types. */
    enum Type {
        COUNTER, GAUGE, HISTOGRAM;

        /** @return the type for the ABI's number (0, 1, 2), or null */
        public static Type ofAbi(int value) {
            return value >= 0 && value < values().length ? values()[value] : null;
        }
    }

    /** One defined metric. */
    interface Metric {

        void increment(long delta);

        void record(long value);

        long value();
    }

    /** Defines (or finds) the module's metric of that name; called once per module, type and name. */
    Metric define(String module, Type type, String name);
}
