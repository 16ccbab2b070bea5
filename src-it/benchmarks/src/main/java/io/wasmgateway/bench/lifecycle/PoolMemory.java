package io.wasmgateway.bench.lifecycle;

import io.wasmgateway.host.HeaderList;
import io.wasmgateway.host.HeaderMap;
import io.wasmgateway.host.HttpContext;
import io.wasmgateway.host.Plugin;
import io.wasmgateway.host.StreamHost;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Memory per VM instance of a Go SDK module and what the pool size buys: for each {@code instances}, the heap
 * used after GC with the module loaded (minus the heap before), the linear memory of one instance after
 * requests (from the floor, the same module), and requests per second from {@code threads} threads, each
 * with its own stream, through our host (requests of one thread always use one instance: thread slot modulo
 * instances). Run by src-it/bench/memory.sh.
 */
public final class PoolMemory {

    public static void main(String[] args) throws Exception {
        BenchFilter filter = BenchFilter.valueOf(args.length > 0 ? args[0] : "GO_HTTP_HEADERS");
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        String problem = filter.unavailable();
        if (problem != null) {
            System.out.println("skipped " + filter + ": " + problem);
            return;
        }
        RawChicoryFloor floor = new RawChicoryFloor(filter);
        byte[][] request = RawChicoryFloor.encode(BenchFilter.REQUEST);
        byte[][] response = RawChicoryFloor.encode(BenchFilter.RESPONSE);
        long initialMemory = floor.memoryBytes();
        for (int i = 0; i < 10_000; i++) {
            floor.reset(request, response);
            floor.request();
        }
        System.out.printf(Locale.ROOT, "%s: linear memory of one instance %.1f MiB after start, %.1f MiB after"
                + " 10000 requests%n", filter, initialMemory / 1048576.0, floor.memoryBytes() / 1048576.0);
        System.out.printf(Locale.ROOT, "%-10s %14s %16s %12s  (%d threads, %d s each)%n", "instances",
                "heap MiB", "heap/instance", "requests/s", threads, seconds);
        for (int instances : new int[] {1, 2, 4, 8}) {
            long before = usedAfterGc();
            OurHost host = new OurHost(filter, instances);
            double rate = drive(host.plugin(), threads, seconds);
            long after = usedAfterGc();
            System.out.printf(Locale.ROOT, "%-10d %14.1f %16.1f %12.0f%n", instances, (after - before) / 1048576.0,
                    (after - before) / 1048576.0 / instances, rate);
            host.close();
        }
    }

    /** Requests per second from {@code threads} threads for {@code seconds}, after as long a warm-up. */
    private static double drive(Plugin plugin, int threads, int seconds) throws InterruptedException {
        LongAdder done = new LongAdder();
        AtomicBoolean counting = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                Stream stream = new Stream();
                while (!stop.get()) {
                    stream.request.replaceAll(BenchFilter.REQUEST);
                    stream.response.replaceAll(BenchFilter.RESPONSE);
                    HttpContext context = plugin.newHttpContext(stream);
                    // another thread's callback may hold the instance: then this one runs after it, there
                    context.onRequestHeaders(false).toCompletableFuture().join();
                    context.onResponseHeaders(false).toCompletableFuture().join();
                    context.finish().toCompletableFuture().join();
                    if (counting.get()) {
                        done.increment();
                    }
                }
            });
            worker.start();
            workers.add(worker);
        }
        Thread.sleep(seconds * 1000L); // warm-up: Go filters need ~10 s
        counting.set(true);
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long counted = done.sum();
        double rate = counted / ((System.nanoTime() - start) / 1e9);
        stop.set(true);
        for (Thread worker : workers) {
            worker.join();
        }
        return rate;
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static final class Stream implements StreamHost {
        final HeaderList request = new HeaderList();
        final HeaderList response = new HeaderList();

        @Override
        public HeaderMap requestHeaders() {
            return request;
        }

        @Override
        public HeaderMap responseHeaders() {
            return response;
        }

        @Override
        public byte[] property(List<String> path) {
            return null;
        }

        @Override
        public boolean setProperty(List<String> path, byte[] value) {
            return false;
        }
    }

    private PoolMemory() {
    }
}
