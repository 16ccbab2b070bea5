package io.wasmgateway.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.Options;
import io.wasmgateway.it.support.Gateway;
import io.wasmgateway.it.support.LoadDriver;
import io.wasmgateway.it.support.LoadDriver.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests at concurrency 64 through a filter that reads every chunk of chunked upstream bodies of a few KB, where
 * one request in a hundred makes it trap (half in proxy_on_request_headers, half on the first chunk of its response
 * body), with VM instances shared by the requests of an event loop. Fail-open: every response arrives whole, with
 * the upstream's exact bytes. Fail-closed: the trapping requests get the 503; a normal one gets the upstream's exact
 * bytes, or the whole 503 when its VM instance broke under it before its response went out, or, when it broke while
 * its body was streaming, a response cut on purpose, every one of them logged and counted in
 * {@code wasm.response.aborted} with reason instance-broken. Fail-closed under {@code isolation: stream}: every normal
 * response arrives whole, none is cut. The system property chaos.requests changes the number of requests per test
 * (a fifth of it under stream, where every request starts an instance).
 */
class ChunkedChaosTest {

    static final int REQUESTS = Integer.getInteger("chaos.requests", 5_000);

    static final int CONCURRENCY = 64;

    static final byte[] BODY = body(6 * 1024, "ok");

    static final byte[] TRAP_BODY = body(3 * 1024, "TRAP");

    static final byte[] FAILURE = "wasm filter failed\n".getBytes(StandardCharsets.US_ASCII);

    static final WireMockServer upstream = new WireMockServer(wireMockConfig().dynamicPort()
        .containerThreads(CONCURRENCY + 16)
        .jettyAcceptQueueSize(CONCURRENCY * 4)
        .useChunkedTransferEncoding(Options.ChunkedEncodingPolicy.ALWAYS)
        .disableRequestJournal());

    static Gateway gateway;

    @BeforeAll
    static void start() {
        upstream.start();
        // several chunks a few milliseconds apart: bodies are still streaming when other requests trap
        upstream.stubFor(get(urlPathMatching("/[a-z]+/ok/.*"))
            .willReturn(aResponse().withStatus(200).withBody(BODY).withChunkedDribbleDelay(6, 12)));
        upstream.stubFor(get(urlPathMatching("/[a-z]+/trap/.*"))
            .willReturn(aResponse().withStatus(200).withBody(TRAP_BODY).withChunkedDribbleDelay(3, 6)));
        gateway = Gateway.start("chaos-bodies", Map.of("upstream.port", upstream.port()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        upstream.stop();
    }

    @Test
    void failOpenEveryResponseArrivesWholeWithTheUpstreamBytes() {
        Map<String, AtomicInteger> outcomes = run("open");
        assertThat(outcomes.keySet()).as("outcomes").containsOnly("normal 200", "header-trap 200", "body-trap 200");
        assertThat(outcomes.get("normal 200").get()).isEqualTo(REQUESTS - 2 * (REQUESTS / 200));
        assertThat(outcomes.get("header-trap 200").get()).isEqualTo(REQUESTS / 200);
        assertThat(outcomes.get("body-trap 200").get()).isEqualTo(REQUESTS / 200);
        assertThat(aborted("body-trap-open", null)).as("responses aborted").isZero();
    }

    @Test
    void failClosedEveryResponseIsWholeOrAbortedWithAReasonAndAMetric() {
        Map<String, AtomicInteger> outcomes = run("chunked");
        assertThat(outcomes.keySet()).as("outcomes")
            .isSubsetOf(List.of("normal 200", "normal 503", "normal cut", "header-trap 503", "body-trap 503"));
        assertThat(outcomes.get("header-trap 503").get()).isEqualTo(REQUESTS / 200);
        assertThat(outcomes.get("body-trap 503").get()).isEqualTo(REQUESTS / 200);
        assertThat(outcomes.get("normal 200").get()).isGreaterThan(REQUESTS * 8 / 10);
        int cut = outcomes.getOrDefault("normal cut", new AtomicInteger()).get();
        assertThat(aborted("body-trap", "instance-broken")).as("aborted, instance broken").isEqualTo(cut);
        assertThat(aborted("body-trap", null)).as("aborted, any reason").isEqualTo(cut);
    }

    @Test
    void failClosedUnderStreamIsolationNoNormalResponseIsCut() {
        int requests = REQUESTS / 5;
        Map<String, AtomicInteger> outcomes = run("stream", requests);
        assertThat(outcomes.keySet()).as("outcomes").containsOnly("normal 200", "header-trap 503", "body-trap 503");
        assertThat(outcomes.get("normal 200").get()).isEqualTo(requests - 2 * (requests / 200));
        assertThat(outcomes.get("header-trap 503").get()).isEqualTo(requests / 200);
        assertThat(outcomes.get("body-trap 503").get()).isEqualTo(requests / 200);
        assertThat(aborted("body-trap-stream", null)).as("responses aborted").isZero();
    }

    private static Map<String, AtomicInteger> run(String route) {
        return run(route, REQUESTS);
    }

    private static Map<String, AtomicInteger> run(String route, int requests) {
        Map<Integer, String> wrong = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> outcomes;
        try (LoadDriver load = LoadDriver.open(gateway, "chunked-chaos-test", CONCURRENCY)) {
            outcomes = load.run(requests, i -> {
                String kind = i % 200 == 50 ? "header-trap" : i % 200 == 150 ? "body-trap" : "normal";
                Request request = new Request(kind, "/" + route + (kind.equals("body-trap") ? "/trap/" : "/ok/") + i);
                return kind.equals("header-trap") ? request.withHeader("x-trap", "1") : request;
            }, answer -> {
                String outcome = answer.failed()
                        ? answer.kind() + (cutInBody(answer.error()) ? " cut" : " " + answer.error())
                        : judge(answer.kind(), answer.status(), answer.body());
                if (outcome.contains("wrong") || outcome.contains("Exception")) {
                    wrong.putIfAbsent(answer.index(), outcome);
                }
                return outcome;
            });
        }
        System.out.printf("chunked chaos on /%s: %d requests, outcomes %s%n", route, requests, outcomes);
        assertThat(wrong).as("requests with neither a whole, expected answer nor a cut body").isEmpty();
        return outcomes;
    }

    /** The connection closed after the response's headers: the body did not end. */
    private static boolean cutInBody(Throwable error) {
        return error instanceof reactor.netty.http.client.PrematureCloseException
                && error.getMessage().contains("DURING response");
    }

    /** The responses of a module counted in wasm.response.aborted, of one reason or all (null). */
    private static long aborted(String module, String reason) {
        String uri = "/actuator/metrics/wasm.response.aborted?tag=module:" + module
                + (reason != null ? "&tag=reason:" + reason : "");
        Map<?, ?> body = gateway.client().get().uri(uri).exchange().returnResult(Map.class).getResponseBody()
            .blockFirst(Duration.ofSeconds(10));
        if (body == null || !body.containsKey("measurements")) {
            return 0; // no such meter yet: nothing was aborted
        }
        return ((Number) ((Map<?, ?>) ((List<?>) body.get("measurements")).get(0)).get("value")).longValue();
    }

    private static String judge(String kind, int status, byte[] bytes) {
        byte[] expected = kind.equals("body-trap") ? TRAP_BODY : BODY;
        boolean whole = status == 200 ? Arrays.equals(bytes, expected)
                : status == 503 && Arrays.equals(bytes, FAILURE);
        if (!whole) {
            return kind + " wrong " + status + " " + bytes.length + " bytes";
        }
        return kind + " " + status;
    }

    private static byte[] body(int size, String start) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) ('a' + (i * 7) % 26);
        }
        System.arraycopy(start.getBytes(StandardCharsets.US_ASCII), 0, bytes, 0, start.length());
        return bytes;
    }
}
