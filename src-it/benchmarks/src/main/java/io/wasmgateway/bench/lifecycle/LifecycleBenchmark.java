package io.wasmgateway.bench.lifecycle;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One request's whole lifecycle in a filter (context create, request headers with 12 headers, response
 * headers unless the filter answered locally, done, log, delete), three ways: {@code host} through our host's public API, {@code floor} through
 * {@link RawChicoryFloor}, {@code proxyWasmJavaHost} through io.roastedroot:proxy-wasm-java-host 0.0.5. Each
 * operation first puts the header maps back as they were (without allocating), then runs the lifecycle. Every
 * column is checked once, before measuring, to leave the filter's headers behind. The Go, Rust and C++ SDK
 * filters are read from ../shared/conformance (see {@link ConformanceBinary}); the Go runtime needs ~10 s of
 * warm-up and -XX:-DontCompileHugeMethods. Run by src-it/bench/jmh.sh.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:-DontCompileHugeMethods", "-Xms512m", "-Xmx512m"})
public class LifecycleBenchmark {

    @State(Scope.Thread)
    public static class Host {
        @Param({"C", "AS", "C_NO_RULES", "GO_HTTP_HEADERS", "RUST_METADATA", "CPP_HEADERS"})
        BenchFilter filter;
        OurHost host;

        @Setup
        public void setUp() {
            requireAvailable(filter);
            host = new OurHost(filter);
            host.reset(BenchFilter.REQUEST, BenchFilter.RESPONSE);
            host.request();
            filter.check("host", OurHost.asMap(host.request), OurHost.asMap(host.response), host.localResponse());
        }

        @TearDown
        public void tearDown() {
            host.close();
        }
    }

    @State(Scope.Thread)
    public static class Floor {
        @Param({"C", "AS", "C_NO_RULES", "GO_HTTP_HEADERS", "RUST_METADATA", "CPP_HEADERS"})
        BenchFilter filter;
        RawChicoryFloor floor;
        byte[][] request = RawChicoryFloor.encode(BenchFilter.REQUEST);
        byte[][] response = RawChicoryFloor.encode(BenchFilter.RESPONSE);

        @Setup
        public void setUp() {
            requireAvailable(filter);
            floor = new RawChicoryFloor(filter);
            floor.reset(request, response);
            floor.request();
            filter.check("floor", RawChicoryFloor.asMap(floor.requestNames, floor.requestValues),
                    RawChicoryFloor.asMap(floor.responseNames, floor.responseValues), floor.localResponse());
        }
    }

    @State(Scope.Thread)
    public static class Roastedroot {
        @Param({"C", "AS", "C_NO_RULES", "GO_HTTP_HEADERS", "RUST_METADATA", "CPP_HEADERS"})
        BenchFilter filter;
        RoastedrootHost host;

        @Setup
        public void setUp() {
            requireAvailable(filter);
            host = new RoastedrootHost(filter);
            host.reset(BenchFilter.REQUEST, BenchFilter.RESPONSE);
            host.request();
            filter.check("proxy-wasm-java-host", RoastedrootHost.asMap(host.request),
                    RoastedrootHost.asMap(host.response), host.localResponse());
        }

        @TearDown
        public void tearDown() {
            host.close();
        }
    }

    /** A third-party filter whose binary is not here fails its setup with the reason (JMH goes on with the rest). */
    static void requireAvailable(BenchFilter filter) {
        String problem = filter.unavailable();
        if (problem != null) {
            throw new IllegalStateException("skipped " + filter + ": " + problem);
        }
    }

    @Benchmark
    public Object host(Host state) {
        state.host.reset(BenchFilter.REQUEST, BenchFilter.RESPONSE);
        return state.host.request();
    }

    @Benchmark
    public long floor(Floor state) {
        state.floor.reset(state.request, state.response);
        return state.floor.request();
    }

    @Benchmark
    public Object proxyWasmJavaHost(Roastedroot state) {
        state.host.reset(BenchFilter.REQUEST, BenchFilter.RESPONSE);
        return state.host.request();
    }
}
