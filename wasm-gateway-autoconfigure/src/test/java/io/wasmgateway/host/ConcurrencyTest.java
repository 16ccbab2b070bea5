package io.wasmgateway.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * A single-instance module hammered from several threads: the guest traps if two calls ever overlap
 * (host_busy.wat), and every request must get its own header back.
 */
class ConcurrencyTest {

    @Test
    void oneInstanceNeverRunsTwoCallsAtOnceAndMixesUpNoRequest() throws Exception {
        try (ProxyWasmModule module = Fixtures.load("host_busy")) {
            Plugin plugin = module.createPlugin("", new byte[0]);
            int threads = 6;
            int perThread = 150;
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<CompletableFuture<Void>> pending = new ConcurrentLinkedQueue<>();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Thread worker = new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < perThread; i++) {
                        String id = thread + "-" + i;
                        FakeStreamHost stream = FakeStreamHost.get("/").header("x-id", id);
                        HttpContext context = plugin.newHttpContext(stream);
                        pending.add(context.onRequestHeaders(true).toCompletableFuture()
                                .thenCompose(decision -> context.finish())
                                .thenRun(() -> {
                                    if (!id.equals(stream.requestHeaders().get("x-echo"))) {
                                        failures.add(new AssertionError("request " + id + " got "
                                                + stream.requestHeaders().get("x-echo")));
                                    }
                                })
                                .exceptionally(error -> {
                                    failures.add(error);
                                    return null;
                                }));
                    }
                });
                workers.add(worker);
                worker.start();
            }
            start.countDown();
            for (Thread worker : workers) {
                worker.join(TimeUnit.SECONDS.toMillis(60));
            }
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            assertThat(pending).hasSize(threads * perThread);
            assertThat(failures).isEmpty();
        }
    }

    @Test
    void everyInstanceOfAPoolServesRequests() throws Exception {
        try (ProxyWasmModule module = ProxyWasmModule.load(Fixtures.spec("host_busy", Engine.COMPILER, 3))) {
            Plugin plugin = module.createPlugin("", new byte[0]);
            List<CompletableFuture<String>> echoes = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                CompletableFuture<String> echo = new CompletableFuture<>();
                String id = "t" + t;
                new Thread(() -> {
                    FakeStreamHost stream = FakeStreamHost.get("/").header("x-id", id);
                    plugin.newHttpContext(stream).onRequestHeaders(true).toCompletableFuture().join();
                    echo.complete(stream.requestHeaders().get("x-echo"));
                }).start();
                echoes.add(echo);
            }
            for (int t = 0; t < 6; t++) {
                assertThat(echoes.get(t).get(30, TimeUnit.SECONDS)).isEqualTo("t" + t);
            }
        }
    }
}
