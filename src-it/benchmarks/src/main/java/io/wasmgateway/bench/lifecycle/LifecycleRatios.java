package io.wasmgateway.bench.lifecycle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The JMH benchmark's three columns interleaved: short timed slices of each column in rotating order, so that
 * load from other processes on a shared machine hits all columns alike, then the median per column and the
 * median of the per-round ratios. Each column's header reset (putting the maps back between requests, which
 * costs differently in each host's map type) is timed alone too and subtracted: "net" is the lifecycle; "range"
 * is the lowest and highest per-round ratio. Each column is checked once to do the filter's work first; a
 * third-party filter whose binary is absent is skipped with the reason. JMH gives the allocations per operation;
 * this gives the ratios. Run by src-it/bench/ratios.sh.
 */
public final class LifecycleRatios {

    private interface Column {
        Object request();
    }

    public static void main(String[] args) {
        int warmupSeconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        long sliceNanos = 100_000_000L;
        BenchFilter[] filters = args.length > 2
                ? Arrays.stream(args[2].split(",")).map(BenchFilter::valueOf).toArray(BenchFilter[]::new)
                : BenchFilter.values();
        System.out.printf(Locale.ROOT, "%-15s %-22s %10s %10s %10s %12s %15s%n", "", "column", "total ns", "reset ns",
                "net ns", "net/floor", "range");
        for (BenchFilter filter : filters) {
            String problem = filter.unavailable();
            if (problem != null) {
                System.out.println("skipped " + filter + ": " + problem);
                continue;
            }
            OurHost host = new OurHost(filter);
            RawChicoryFloor floor = new RawChicoryFloor(filter);
            RoastedrootHost roastedroot = new RoastedrootHost(filter);
            byte[][] request = RawChicoryFloor.encode(BenchFilter.REQUEST);
            byte[][] response = RawChicoryFloor.encode(BenchFilter.RESPONSE);
            check(filter, host, floor, roastedroot, request, response);
            // even columns: reset + lifecycle; odd columns: the same reset alone, subtracted from the one before
            Column[] columns = {
                () -> {
                    floor.reset(request, response);
                    return floor.request();
                },
                () -> {
                    floor.reset(request, response);
                    return null;
                },
                () -> {
                    host.reset(BenchFilter.REQUEST, BenchFilter.RESPONSE);
                    return host.request();
                },
                () -> {
                    host.reset(BenchFilter.REQUEST, BenchFilter.RESPONSE);
                    return null;
                },
                () -> {
                    roastedroot.reset(BenchFilter.REQUEST, BenchFilter.RESPONSE);
                    return roastedroot.request();
                },
                () -> {
                    roastedroot.reset(BenchFilter.REQUEST, BenchFilter.RESPONSE);
                    return null;
                }};
            long warmupEnd = System.nanoTime() + warmupSeconds * 1_000_000_000L;
            while (System.nanoTime() < warmupEnd) {
                for (Column column : columns) {
                    slice(column, sliceNanos);
                }
            }
            List<double[]> results = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                double[] nanos = new double[columns.length];
                for (int i = 0; i < columns.length; i++) {
                    int column = (round + i) % columns.length; // rotate who goes first
                    nanos[column] = slice(columns[column], sliceNanos);
                }
                results.add(nanos);
            }
            String[] names = {"floor (raw Chicory)", "our host", "proxy-wasm-java-host"};
            for (int c = 0; c < names.length; c++) {
                int total = 2 * c;
                Pick ratio = r -> (r[total] - r[total + 1]) / (r[0] - r[1]);
                System.out.printf(Locale.ROOT, "%-15s %-22s %10.0f %10.0f %10.0f %12.2f %15s%n", filter, names[c],
                        median(results, r -> r[total]), median(results, r -> r[total + 1]),
                        median(results, r -> r[total] - r[total + 1]), median(results, ratio),
                        String.format(Locale.ROOT, "%.2f..%.2f", min(results, ratio), max(results, ratio)));
            }
            host.close();
            roastedroot.close();
        }
    }

    /** Each column once, checked to do the filter's work, before anything is timed. */
    private static void check(BenchFilter filter, OurHost host, RawChicoryFloor floor, RoastedrootHost roastedroot,
            byte[][] request, byte[][] response) {
        floor.reset(request, response);
        floor.request();
        filter.check("floor", RawChicoryFloor.asMap(floor.requestNames, floor.requestValues),
                RawChicoryFloor.asMap(floor.responseNames, floor.responseValues), floor.localResponse());
        host.reset(BenchFilter.REQUEST, BenchFilter.RESPONSE);
        host.request();
        filter.check("host", OurHost.asMap(host.request), OurHost.asMap(host.response), host.localResponse());
        roastedroot.reset(BenchFilter.REQUEST, BenchFilter.RESPONSE);
        roastedroot.request();
        filter.check("proxy-wasm-java-host", RoastedrootHost.asMap(roastedroot.request),
                RoastedrootHost.asMap(roastedroot.response), roastedroot.localResponse());
    }

    /** Runs the column for about {@code nanos}; returns nanoseconds per request. */
    private static double slice(Column column, long nanos) {
        long start = System.nanoTime();
        long end = start + nanos;
        long count = 0;
        Object sink = null;
        long now;
        do {
            for (int i = 0; i < 100; i++) {
                sink = column.request();
            }
            count += 100;
            now = System.nanoTime();
        } while (now < end);
        if (sink == Boolean.TRUE) {
            System.out.print(""); // keeps the result alive
        }
        return (double) (now - start) / count;
    }

    private interface Pick {
        double of(double[] round);
    }

    private static double median(List<double[]> rounds, Pick pick) {
        double[] values = rounds.stream().mapToDouble(pick::of).sorted().toArray();
        return values.length % 2 == 1 ? values[values.length / 2]
                : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
    }

    private static double min(List<double[]> rounds, Pick pick) {
        return rounds.stream().mapToDouble(pick::of).min().orElse(Double.NaN);
    }

    private static double max(List<double[]> rounds, Pick pick) {
        return rounds.stream().mapToDouble(pick::of).max().orElse(Double.NaN);
    }

    private LifecycleRatios() {
    }
}
