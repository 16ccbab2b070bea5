package io.wasmgateway.bench.startup;

import io.wasmgateway.host.Engine;
import io.wasmgateway.host.HeaderList;
import io.wasmgateway.host.HeaderMap;
import io.wasmgateway.host.HttpContext;
import io.wasmgateway.host.ModuleSpec;
import io.wasmgateway.host.Plugin;
import io.wasmgateway.host.ProxyWasmModule;
import io.wasmgateway.host.StreamHost;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One startup of a module in a fresh JVM, as the gateway does it: load (parse, validate, compile or take the
 * precompiled class, create the instances), create a plugin, serve a first request. Prints the milliseconds of
 * each step on one line. {@code StartupBenchmark <module.wasm> <instances> [<precompiled class>]}; run by
 * src-it/bench/startup.sh.
 */
public final class StartupBenchmark {

    private StartupBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long jvmStart = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        byte[] bytes = Files.readAllBytes(Path.of(args[0]));
        int instances = Integer.parseInt(args[1]);
        String precompiled = args.length > 2 ? args[2] : null;
        long t0 = System.nanoTime();
        ProxyWasmModule module = ProxyWasmModule.load(new ModuleSpec("big", args[0], bytes, Engine.COMPILER, "big",
                new byte[0], Map.of(), instances, null, precompiled));
        long t1 = System.nanoTime();
        Plugin plugin = module.createPlugin("", "request add x-big: yes".getBytes());
        long t2 = System.nanoTime();
        Host host = new Host();
        HttpContext context = plugin.newHttpContext(host);
        context.onRequestHeaders(false).toCompletableFuture().join();
        host.response.add(":status", "200");
        context.onResponseHeaders(false).toCompletableFuture().join();
        context.finish().toCompletableFuture().join();
        long t3 = System.nanoTime();
        if (!"yes".equals(host.request.get("x-big"))) {
            throw new IllegalStateException("the module did not run: " + host.request);
        }
        System.out.printf(Locale.ROOT, "%s load=%.0f plugin=%.0f first-request=%.1f total=%.0f jvm-to-first-response=%d%n",
                precompiled == null ? "runtime-compiled" : "precompiled", ms(t1 - t0), ms(t2 - t1), ms(t3 - t2),
                ms(t3 - t0), System.currentTimeMillis() - jvmStart);
        module.close();
    }

    private static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }

    private static final class Host implements StreamHost {
        final HeaderList request = new HeaderList();
        final HeaderList response = new HeaderList();

        Host() {
            request.add(":method", "GET");
            request.add(":path", "/");
            request.add(":authority", "bench");
            request.add(":scheme", "http");
        }

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
}
