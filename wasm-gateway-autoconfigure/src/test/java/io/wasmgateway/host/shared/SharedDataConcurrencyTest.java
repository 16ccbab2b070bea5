package io.wasmgateway.host.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.wasmgateway.host.shared.SharedData.Eviction;
import io.wasmgateway.host.shared.SharedData.Stats;
import io.wasmgateway.host.shared.SharedData.Value;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Atomicity and limits under contention. Measures nothing. */
@Timeout(60)
class SharedDataConcurrencyTest {

    private static final int THREADS = 16;

    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);

    @AfterEach
    void stopPool() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    /** Runs the task on every thread at once, and rethrows any failure. */
    private void onAllThreads(ThrowingTask task) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            futures.add(pool.submit(() -> {
                start.await();
                task.run();
                return null;
            }));
        }
        start.countDown();
        for (Future<?> future : futures) {
            future.get();
        }
    }

    @FunctionalInterface
    private interface ThrowingTask {
        void run() throws Exception;
    }

    private static byte[] encode(long n) {
        return ByteBuffer.allocate(Long.BYTES).putLong(n).array();
    }

    private static long decode(Value value) {
        return ByteBuffer.wrap(value.value()).getLong();
    }

    @Test
    void sixteenThreadsIncrementingOneCounterWithCasRetriesEndWithTheExactCount() throws Exception {
        SharedData data = new SharedData(1000, 1 << 20, Eviction.LRU);
        // cpp-host semantics have no atomic create-if-absent, so the counter exists before the race
        data.set("counter", encode(0), 0);
        int increments = 2_000;

        onAllThreads(() -> {
            for (int i = 0; i < increments; i++) {
                while (true) {
                    Value current = data.get("counter");
                    SharedStatus status = data.set("counter", encode(decode(current) + 1), current.cas());
                    if (status == SharedStatus.OK) {
                        break;
                    }
                    assertThat(status).isEqualTo(SharedStatus.CAS_MISMATCH);
                }
            }
        });

        assertThat(decode(data.get("counter"))).isEqualTo(THREADS * increments);
    }

    @Test
    void lruEvictionUnderContentionKeepsTheLimitsAndItsAccounts() throws Exception {
        int maxEntries = 200;
        long maxBytes = 8_000;
        SharedData data = new SharedData(maxEntries, maxBytes, Eviction.LRU);
        AtomicBoolean running = new AtomicBoolean(true);
        Future<?> watcher = pool.submit(() -> {
            while (running.get()) {
                Stats stats = data.stats();
                assertThat(stats.entries()).isBetween(0, maxEntries);
                assertThat(stats.bytes()).isBetween(0L, maxBytes);
            }
            return null;
        });

        onAllThreads(() -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = 0; i < 5_000; i++) {
                String key = "k" + random.nextInt(1_000);
                switch (random.nextInt(4)) {
                    case 0 -> data.get(key);
                    case 1 -> data.delete(key);
                    default -> assertThat(data.set(key, new byte[random.nextInt(200)], 0))
                            .isEqualTo(SharedStatus.OK);
                }
            }
        });
        running.set(false);
        watcher.get();

        // at rest, the counts are exactly what is stored
        Stats stats = data.stats();
        List<String> keys = data.keys("", 0, Integer.MAX_VALUE).keys();
        long bytes = 0;
        for (String key : keys) {
            bytes += key.length() + data.peek(key).value().length;
        }
        assertThat(stats.entries()).isEqualTo(keys.size()).isLessThanOrEqualTo(maxEntries);
        assertThat(stats.bytes()).isEqualTo(bytes).isLessThanOrEqualTo(maxBytes);
        assertThat(stats.evictions()).isPositive();
    }

    @Test
    void noneEvictionUnderContentionNeverLosesAStoredEntry() throws Exception {
        int maxEntries = 100;
        SharedData data = new SharedData(maxEntries, 1 << 20, Eviction.NONE);
        for (int i = 0; i < 50; i++) {
            data.set("keep" + i, encode(i), 0);
        }

        onAllThreads(() -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = 0; i < 2_000; i++) {
                assertThat(data.set("new" + random.nextInt(10_000), encode(i), 0))
                        .isIn(SharedStatus.OK, SharedStatus.FULL);
            }
        });

        for (int i = 0; i < 50; i++) {
            assertThat(decode(data.get("keep" + i))).isEqualTo(i);
        }
        assertThat(data.stats().entries()).isEqualTo(maxEntries);
        assertThat(data.keys("", 0, Integer.MAX_VALUE).keys()).hasSize(maxEntries);
        assertThat(data.stats().refused()).isPositive();
    }
}
