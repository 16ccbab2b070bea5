package io.wasmgateway.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.wasmgateway.it.support.Gateway;
import io.wasmgateway.it.support.Heap;
import io.wasmgateway.it.support.LoadDriver;
import io.wasmgateway.it.support.LoadDriver.Request;
import io.wasmgateway.it.support.WasmInstances;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * 20,000 requests at concurrency 64 on a route where one request in a hundred makes the filter trap, recurse
 * without end or loop forever: every request is answered (200, or the fail-closed 503 for the hostile ones and for
 * the requests that were on an instance when it broke), none waits for its answer past the client's timeout, the
 * broken instances are replaced, and the heap after a GC comes back to where it was after the warm-up. The
 * system property chaos.requests changes the number of requests (for a quick local run).
 */
class ChaosTest {

    static final int REQUESTS = Integer.getInteger("chaos.requests", 20_000);

    static final int CONCURRENCY = 64;

    /** Where and what, for every hundredth request (see filters/wat/hostile_filter.wat). */
    static final List<String> HOSTILE = List.of("qU", "qL", "sZ", "qR", "xM");

    static final WireMockServer upstream = new WireMockServer(wireMockConfig().dynamicPort()
        .containerThreads(CONCURRENCY + 16)
        .jettyAcceptQueueSize(CONCURRENCY * 4)
        .disableRequestJournal()); // it would hold every request, and the heap comparison with it

    static Gateway gateway;

    @BeforeAll
    static void start() {
        upstream.start();
        upstream.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("ok")));
        gateway = Gateway.start("chaos", Map.of("upstream.port", upstream.port()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.stop();
    }

    @Test
    void everyRequestIsAnsweredAndBrokenInstancesAreReplaced() {
        try (LoadDriver load = LoadDriver.open(gateway, "chaos-test", CONCURRENCY)) {
            run(load, 1_000, false); // warm-up: JIT, pools, the gateway's caches
            long heapBefore = Heap.usedAfterGc();

            long start = System.nanoTime();
            Outcome outcome = run(load, REQUESTS, true);
            long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
            long heapAfter = Heap.usedAfterGc();
            long replaced = WasmInstances.replaced(gateway, "chaos");

            System.out.printf("chaos: %d requests in %d s, statuses %s, %d hostile, %d innocent failures, slowest "
                    + "%d ms, %d instances replaced, heap after GC %d MB before, %d MB after%n", REQUESTS, seconds,
                    outcome.statuses, outcome.hostile.get(), outcome.innocentFailures(), outcome.slowestMillis.get(),
                    replaced, heapBefore >> 20, heapAfter >> 20);
            assertThat(outcome.failures).as("requests without an answer").isEmpty();
            assertThat(outcome.statuses.keySet()).as("statuses").containsOnly(200, 503);
            assertThat(outcome.statuses.get(503).get()).as("503s").isGreaterThanOrEqualTo(outcome.hostile.get());
            assertThat(outcome.statuses.get(200).get()).as("200s").isGreaterThan(REQUESTS * 9 / 10);
            assertThat(replaced).as("instances replaced").isPositive();
            assertThat(heapAfter).as("heap after GC").isLessThan(heapBefore + 64L * 1024 * 1024);
        }
    }

    private static Outcome run(LoadDriver load, int requests, boolean hostile) {
        Outcome outcome = new Outcome();
        outcome.statuses.putAll(load.run(requests, i -> {
            Request normal = new Request("normal", "/chaos/" + i);
            if (!hostile || i % 100 != 50) {
                return normal;
            }
            outcome.hostile.incrementAndGet();
            return new Request("hostile", normal.path()).withHeader("x-hostile",
                    HOSTILE.get((i / 100) % HOSTILE.size()));
        }, answer -> {
            if (answer.failed()) {
                outcome.failures.put(answer.index(), answer.error().toString());
                return null; // not a status
            }
            outcome.slowestMillis.accumulateAndGet(answer.took().toMillis(), Math::max);
            return answer.status();
        }));
        return outcome;
    }

    private static final class Outcome {

        final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();

        final Map<Integer, String> failures = new ConcurrentHashMap<>();

        final AtomicInteger hostile = new AtomicInteger();

        final AtomicLong slowestMillis = new AtomicLong();

        /** 503s beyond the hostile requests: requests that failed only because they shared a broken instance. */
        int innocentFailures() {
            AtomicInteger failed = statuses.get(503);
            return (failed == null ? 0 : failed.get()) - hostile.get();
        }
    }
}
