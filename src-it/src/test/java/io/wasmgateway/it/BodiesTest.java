package io.wasmgateway.it;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.wasmgateway.it.support.Fixtures;
import io.wasmgateway.it.support.Gateway;
import io.wasmgateway.it.support.StreamingUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Request and response bodies through real gateways: streamed chunk by chunk with end of stream exactly once,
 * held and rewritten with a corrected Content-Length, validated with a local 403 before anything reaches the
 * upstream, limited by max-buffered-body, and 50 MB streamed both ways in bounded memory.
 */
class BodiesTest {

    static final WireMockServer upstream = new WireMockServer(wireMockConfig().dynamicPort());

    static final StreamingUpstream streaming = new StreamingUpstream();

    static final ListAppender<ILoggingEvent> observeLog = new ListAppender<>();

    static Gateway gateway;

    @BeforeAll
    static void start() {
        upstream.start();
        gateway = Gateway.start("bodies", Map.of("upstream.port", upstream.port(), "stream.port", streaming.port(),
                "response-pause.location", Fixtures.compiled("response_pause_filter")));
        observeLog.start();
        ((Logger) LoggerFactory.getLogger("wasm.observe")).addAppender(observeLog);
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger("wasm.observe")).detachAppender(observeLog);
        gateway.close();
        streaming.close();
        upstream.stop();
    }

    @BeforeEach
    void reset() {
        upstream.resetAll();
        upstream.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withHeader("Content-Length", "2")
            .withBody("ok")));
        observeLog.list.clear();
    }

    // ---- rewriting a held response body ----

    @Test
    void aRewrittenResponseGetsTheNewBytesAndContentLength() {
        upstream.stubFor(get(anyUrl()).willReturn(aResponse().withHeader("Content-Type", "application/json")
            .withBody("{\"hello\":\"world\",\"again\":\"world\"}")));

        EntityExchangeResult<byte[]> result = gateway.client().get().uri("/rewrite/json").exchange()
            .expectStatus().isOk()
            .expectHeader().valueEquals("x-body-rewrites", "2")
            .expectHeader().valueEquals("Content-Type", "application/json")
            .expectBody().returnResult();

        String expected = "{\"hello\":\"wasm-gateway\",\"again\":\"wasm-gateway\"}";
        assertThat(new String(result.getResponseBody(), StandardCharsets.UTF_8)).isEqualTo(expected);
        assertThat(result.getResponseHeaders().getContentLength()).isEqualTo(expected.length());
        assertThat(result.getResponseHeaders().containsHeader("Transfer-Encoding")).isFalse();
    }

    @Test
    void aChunkedUpstreamResponseIsRewrittenWhole() {
        String body = "hello world! ".repeat(200);
        upstream.stubFor(get(anyUrl()).willReturn(aResponse().withBody(body).withChunkedDribbleDelay(4, 200)));

        EntityExchangeResult<byte[]> result = gateway.client().get().uri("/rewrite/chunked").exchange()
            .expectStatus().isOk()
            .expectHeader().valueEquals("x-body-rewrites", "200")
            .expectBody().returnResult();

        String expected = "hello wasm-gateway! ".repeat(200);
        assertThat(new String(result.getResponseBody(), StandardCharsets.UTF_8)).isEqualTo(expected);
        assertThat(result.getResponseHeaders().getContentLength()).isEqualTo(expected.length());
    }

    @Test
    void aLargeHeldResponseJustUnderTheLimitIsRewrittenExactly() {
        // 680,000 bytes in, 960,000 out: both under max-buffered-body (1 MB), which bounds the changed body too
        String body = "0123456789 world ".repeat(40_000);
        upstream.stubFor(get(anyUrl()).willReturn(aResponse().withBody(body)));

        String answer = client().get().uri("/rewrite/large")
            .responseSingle((response, content) -> content.asString().map(text -> response.status().code() + " "
                    + response.responseHeaders().get("x-body-rewrites") + " "
                    + response.responseHeaders().get("Content-Length") + " " + text))
            .block(Duration.ofSeconds(30));

        String expected = "0123456789 wasm-gateway ".repeat(40_000);
        assertThat(answer).startsWith("200 40000 " + expected.length() + " ");
        assertThat(answer.endsWith(" " + expected)).withFailMessage("the body differs").isTrue();
    }

    @Test
    void aHeldResponseBodyPastTheLimitGives502() {
        upstream.stubFor(get(anyUrl()).willReturn(aResponse().withBody("x".repeat(4096))));

        gateway.client().get().uri("/rewrite-small/big").exchange()
            .expectStatus().isEqualTo(502)
            .expectBody(String.class).isEqualTo("response body too large\n");
    }

    @Test
    void responseFiltersChainAsEnvoysDoTheLastSeesTheBodyFirst() {
        upstream.stubFor(get(anyUrl()).willReturn(aResponse().withBody("hello world")));

        gateway.client().get().uri("/observe-rewrite/x").exchange()
            .expectStatus().isOk()
            .expectBody(String.class).isEqualTo("hello wasm-gateway");

        // rewrite held the body and let it through whole at its end: observe saw one chunk with end of stream
        awaitObserved("response chunks=1 bytes=18 eos=1 sizes=18*");
    }

    // ---- validating a held request body ----

    @Test
    void aValidJsonBodyGoesUpstreamUnchangedWithTheHeaderAddedAfterTheBody() {
        String json = "{\"items\":[1,2.5,-3e2,true,null,\"a\\\"b\"]}";

        gateway.client().post().uri("/validate/orders").contentType(MediaType.APPLICATION_JSON).bodyValue(json)
            .exchange().expectStatus().isOk().expectBody(String.class).isEqualTo("ok");

        upstream.verify(1, postRequestedFor(urlPathEqualTo("/validate/orders"))
            .withHeader("x-json-valid", equalTo(Integer.toString(json.length())))
            .withHeader("Content-Length", equalTo(Integer.toString(json.length())))
            .withRequestBody(equalTo(json)));
    }

    @Test
    void anInvalidJsonBodyIsAnswered403AndTheUpstreamReceivesNothing() {
        gateway.client().post().uri("/validate/orders").contentType(MediaType.APPLICATION_JSON)
            .bodyValue("{\"items\":[1,2,}").exchange()
            .expectStatus().isForbidden()
            .expectHeader().valueEquals("x-rejected-by", "json_validate_filter")
            .expectBody(String.class).isEqualTo("invalid JSON body\n");

        upstream.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aChunkedInvalidBodyIsAlsoStoppedBeforeTheUpstream() {
        String answer = client().headers(h -> h.set("Content-Type", "application/json"))
            .post().uri("/validate/chunked")
            .send(delayed("{\"a\":", "[1,", "2"))
            .responseSingle((response, body) -> body.asString().map(text -> response.status().code() + " " + text))
            .block(Duration.ofSeconds(10));

        assertThat(answer).isEqualTo("403 invalid JSON body\n");
        upstream.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aFilterThatPausesItsHeadersStillSeesTheWholeBodyAndDecides() {
        gateway.client().post().uri("/validate-paused/orders").bodyValue("[1,2").exchange()
            .expectStatus().isForbidden()
            .expectBody(String.class).isEqualTo("invalid JSON body\n");
        upstream.verify(0, anyRequestedFor(anyUrl()));

        gateway.client().post().uri("/validate-paused/orders").bodyValue("[1,2]").exchange()
            .expectStatus().isOk().expectBody(String.class).isEqualTo("ok");
        upstream.verify(1, postRequestedFor(urlPathEqualTo("/validate-paused/orders"))
            .withHeader("x-json-valid", equalTo("5")).withRequestBody(equalTo("[1,2]")));
    }

    @Test
    void aHeldRequestBodyPastTheLimitGives413() {
        gateway.client().post().uri("/validate-small/big").bodyValue("[" + "1,".repeat(2000) + "1]").exchange()
            .expectStatus().isEqualTo(413)
            .expectBody(String.class).isEqualTo("request body too large\n");

        upstream.verify(0, anyRequestedFor(anyUrl()));
    }

    // ---- observing chunks: end of stream exactly once ----

    @Test
    void aBodyWithContentLengthEndsWithItsLastChunk() {
        gateway.client().post().uri("/observe/fixed").bodyValue("hello").exchange()
            .expectStatus().isOk()
            .expectHeader().valueEquals("x-request-body", "chunks=1 bytes=5 eos=1 sizes=5*")
            .expectBody(String.class).isEqualTo("ok");

        // the response had a Content-Length (2): its only chunk carried end of stream
        awaitObserved("request chunks=1 bytes=5 eos=1 sizes=5*; response chunks=1 bytes=2 eos=1 sizes=2*");
        upstream.verify(1, postRequestedFor(urlPathEqualTo("/observe/fixed")).withRequestBody(equalTo("hello")));
    }

    @Test
    void aChunkedBodyComesChunkByChunkThenAnEmptyEnd() {
        String answer = client().post().uri("/observe/chunked")
            .send(delayed("abcd", "efgh", "ijkl"))
            .responseSingle((response, body) -> body.asString()
                .map(text -> response.responseHeaders().get("x-request-body") + " | " + text))
            .block(Duration.ofSeconds(10));

        assertThat(answer).isEqualTo("chunks=4 bytes=12 eos=1 sizes=4,4,4,0* | ok");
        upstream.verify(1, postRequestedFor(urlPathEqualTo("/observe/chunked")).withRequestBody(equalTo("abcdefghijkl")));
    }

    @Test
    void anUpstreamThatAnswersBeforeTheRequestBodyEndedStillHasItsAnswerDelivered() {
        // the answer comes while the body is still on its way: the gateway must not cancel the body then (Reactor
        // Netty would drop the upstream connection, and the answer's body with it)
        String answer = client().headers(headers -> headers.add(StreamingUpstream.ANSWER_EARLY, "yes"))
            .post()
            .uri("/stream/observe/early")
            .send(delayed("abcd", "efgh", "ijkl"))
            .responseSingle((response, body) -> body.asString().defaultIfEmpty("")
                .map(text -> response.status().code() + " [" + text + "]"))
            .block(Duration.ofSeconds(10));

        assertThat(answer).isEqualTo("200 [early]");
    }

    @Test
    void aResponseHeldByAFilterKeepsItsBodyWhenTheUpstreamClosesItsConnection() {
        // the filter holds the response headers until its next tick while the upstream sends the body and closes
        byte[] answer = client().headers(headers -> headers.add(StreamingUpstream.CLOSE, "yes"))
            .get()
            .uri("/stream/response-pause/download?size=10000")
            .responseSingle((response, body) -> body.asByteArray().defaultIfEmpty(new byte[0]))
            .block(Duration.ofSeconds(10));

        assertThat(answer).isEqualTo(Arrays.copyOf(StreamingUpstream.CHUNK, 10000));
    }

    @Test
    void anEmptyChunkedBodyStillGetsItsEndOfStream() {
        String answer = client().post().uri("/observe/empty-chunked")
            .send(Flux.<ByteBuf>empty())
            .responseSingle((response, body) -> body.asString()
                .map(text -> response.responseHeaders().get("x-request-body") + " | " + text))
            .block(Duration.ofSeconds(10));

        assertThat(answer).isEqualTo("chunks=1 bytes=0 eos=1 sizes=0* | ok");
    }

    @Test
    void anEmptyChunkedResponseStillGetsItsEndOfStream() {
        String answer = client().get().uri("/stream/observe/download?size=0")
            .responseSingle((response, body) -> body.asString().defaultIfEmpty("")
                .map(text -> response.status().code() + " [" + text + "]"))
            .block(Duration.ofSeconds(10));

        assertThat(answer).isEqualTo("200 []");
        awaitObserved("response chunks=1 bytes=0 eos=1 sizes=0*");
    }

    @Test
    void aRequestWithoutBodyGetsNoBodyCallback() {
        gateway.client().get().uri("/observe/none").exchange()
            .expectStatus().isOk()
            .expectHeader().valueEquals("x-request-body", "chunks=0 bytes=0 eos=0 sizes=")
            .expectBody(String.class).isEqualTo("ok");
    }

    @Test
    void aClientThatGoesAwayMidBodyStillHasItsContextFinished() {
        Flux<ByteBuf> endless = Flux.interval(Duration.ofMillis(20)).map(i -> Unpooled.wrappedBuffer(new byte[] {'x'}));
        client().post().uri("/observe/abandoned").send(endless)
            .response()
            .timeout(Duration.ofMillis(300))
            .onErrorResume(error -> reactor.core.publisher.Mono.empty())
            .block(Duration.ofSeconds(10));

        // proxy_on_log ran for the abandoned request: the summary shows chunks but no end of stream
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(observeLog.list)
            .anySatisfy(event -> assertThat(event.getFormattedMessage()).contains("request chunks=")
                .contains("eos=0")));
    }

    // ---- bodies nobody holds ----

    @Test
    void aGzipResponsePassesUntouchedThroughFiltersThatDoNotChangeBodies() throws Exception {
        byte[] gzip = gzip("compressed world ".repeat(100));
        upstream.stubFor(get(anyUrl()).willReturn(aResponse().withHeader("Content-Encoding", "gzip")
            .withHeader("Content-Length", Integer.toString(gzip.length)).withBody(gzip)));

        for (String path : new String[] { "/plain/gz", "/observe/gz" }) {
            EntityExchangeResult<byte[]> result = gateway.client().get().uri(path).exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("Content-Encoding", "gzip")
                .expectBody().returnResult();
            assertThat(result.getResponseBody()).isEqualTo(gzip);
            assertThat(result.getResponseHeaders().getContentLength()).isEqualTo(gzip.length);
        }
    }

    @Test
    void fiftyMegabytesStreamBothWaysThroughABodyObservingFilterInBoundedMemory() {
        long size = 50L * 1024 * 1024;
        for (String route : new String[] { "observe", "plain" }) {
            HeapSampler heap = HeapSampler.start();
            String uploaded = client().post().uri("/stream/" + route + "/upload")
                .send(StreamingUpstream.chunks(size))
                .responseSingle((response, body) -> body.asString())
                .block(Duration.ofSeconds(120));
            StreamingUpstream.Digest downloaded = client().get().uri("/stream/" + route + "/download?size=" + size)
                .responseContent()
                .reduce(new StreamingUpstream.Digest(), StreamingUpstream.Digest::add)
                .block(Duration.ofSeconds(120));
            long growth = heap.stop();

            String expected = StreamingUpstream.expected(size);
            assertThat(uploaded).isEqualTo(expected);
            assertThat(downloaded.toString()).isEqualTo(expected);
            System.out.printf("50 MB up and down through route %s: heap after GC grew by at most %.1f MB%n", route,
                    growth / 1048576.0);
            assertThat(growth).isLessThan(16L * 1024 * 1024);
        }
        awaitObserved("request chunks=");
    }

    // ---- helpers ----

    private static HttpClient client() {
        return HttpClient.create().baseUrl("http://localhost:" + gateway.port());
    }

    private static Flux<ByteBuf> delayed(String... chunks) {
        return Flux.fromArray(chunks)
            .delayElements(Duration.ofMillis(100))
            .map(chunk -> Unpooled.copiedBuffer(chunk, StandardCharsets.UTF_8));
    }

    private static void awaitObserved(String text) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(observeLog.list)
            .anySatisfy(event -> assertThat(event.getFormattedMessage()).contains(text)));
    }

    private static byte[] gzip(String text) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    /** The heap in use after a full GC, sampled every 100 ms: how much more than before it ever was. */
    private static final class HeapSampler {

        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

        private final long baseline;

        private final AtomicLong peak = new AtomicLong();

        private final Thread thread;

        private volatile boolean running = true;

        private HeapSampler() {
            baseline = usedAfterGc();
            thread = new Thread(() -> {
                while (running) {
                    peak.accumulateAndGet(usedAfterGc(), Math::max);
                    try {
                        Thread.sleep(100);
                    }
                    catch (InterruptedException ex) {
                        return;
                    }
                }
            }, "heap-sampler");
        }

        static HeapSampler start() {
            HeapSampler sampler = new HeapSampler();
            sampler.thread.start();
            return sampler;
        }

        long stop() {
            running = false;
            try {
                thread.join();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            return Math.max(0, peak.get() - baseline);
        }

        private long usedAfterGc() {
            System.gc();
            return memory.getHeapMemoryUsage().getUsed();
        }
    }
}
