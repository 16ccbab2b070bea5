package io.wasmgateway.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.wasmgateway.it.support.Fixtures;
import io.wasmgateway.it.support.Gateway;
import io.wasmgateway.it.support.GrpcTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * proxy_grpc_call and proxy_grpc_stream through a real gateway to a real grpc-java server (Netty, a socket on a
 * random port): grpc_auth_filter authorises each request with an ext_authz-like unary Check, grpc_stream_filter
 * opens a stream per request and answers with everything the stream brought back.
 */
class GrpcCallsTest {

    static final WireMockServer upstream = new WireMockServer(wireMockConfig().dynamicPort().containerThreads(64));

    static final GrpcTestServer grpc = new GrpcTestServer();

    static Gateway gateway;

    /** What the Check service saw: attributes.request.http's method, path, host and authorization header. */
    record CheckSeen(String method, String path, String host, String authorization) {
    }

    static final List<CheckSeen> checks = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        upstream.start();
        grpc.handle("envoy.service.auth.v3.Authorization/Check", GrpcCallsTest::check)
            .handle("test.Streams/Chat", new Chat())
            .handle("test.Streams/Watch", new Watch())
            .handle("test.Streams/Fail", (call, message) -> {
                Metadata trailers = new Metadata();
                trailers.put(GrpcTestServer.key("x-trailer"), "sorry");
                GrpcTestServer.close(call, Status.NOT_FOUND.withDescription("no such stream"), trailers);
            })
            .handle("test.Streams/Hang", (call, message) -> {
            });
        gateway = Gateway.start("grpc", Map.of("upstream.port", upstream.port(), "grpc.port", grpc.port(),
                "closed.port", Fixtures.closedPort()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        grpc.close();
        upstream.stop();
    }

    @BeforeEach
    void reset() {
        upstream.resetAll();
        upstream.stubFor(any(anyUrl()).willReturn(aResponse().withBody("upstream")));
        grpc.reset();
        checks.clear();
    }

    // ---- unary: grpc_auth_filter ----

    @Test
    void anAllowedRequestReachesTheUpstreamWithTheHeadersTheServiceAdded() {
        gateway.client().get().uri("/authz/orders?x=1").header("authorization", "Bearer good")
            .exchange()
            .expectStatus().isOk()
            .expectBody(String.class).isEqualTo("upstream");

        upstream.verify(1, getRequestedFor(urlPathEqualTo("/authz/orders"))
            .withHeader("x-ext-authz", equalTo("allowed"))
            .withHeader("x-checked-by", equalTo("grpc-authz")));
        assertThat(checks).containsExactly(new CheckSeen("GET", "/authz/orders?x=1", "localhost:" + gateway.port(),
                "Bearer good"));
        assertThat(grpc.requestHeaders().get(0).get(GrpcTestServer.key("x-wasm-filter")))
            .isEqualTo("grpc_auth_filter");
        assertThat(grpc.requestHeaders().get(0).get(GrpcTestServer.key("grpc-timeout"))).isNotNull();
    }

    @Test
    void aDeniedRequestGetsTheDeniedResponseAndNeverReachesTheUpstream() {
        gateway.client().get().uri("/authz/orders").header("authorization", "Bearer bad")
            .exchange()
            .expectStatus().isUnauthorized()
            .expectHeader().valueEquals("x-ext-authz", "denied")
            .expectBody(String.class).isEqualTo("no entry\n");

        upstream.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void theServersStatusAndMessageReachTheFilter() {
        gateway.client().get().uri("/authz/error")
            .exchange()
            .expectStatus().isEqualTo(503)
            .expectHeader().valueEquals("x-grpc-status", "8")
            .expectBody(String.class).isEqualTo("authorization unavailable: 8 quota gone\n");

        upstream.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aCallPastItsDeadlineEndsDeadlineExceeded() {
        String body = gateway.client().get().uri("/authz-timeout/slow")
            .exchange()
            .expectStatus().isEqualTo(503)
            .expectHeader().valueEquals("x-grpc-status", "4")
            .expectBody(String.class).returnResult().getResponseBody();

        assertThat(body).startsWith("authorization unavailable: 4 ");
        upstream.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aServerThatIsNotThereIsUnavailable() {
        String body = gateway.client().get().uri("/authz-down/x")
            .exchange()
            .expectStatus().isEqualTo(503)
            .expectHeader().valueEquals("x-grpc-status", "14")
            .expectBody(String.class).returnResult().getResponseBody();

        assertThat(body).startsWith("authorization unavailable: 14 ");
    }

    @Test
    void anUnknownClusterIsAParseFailureAndNoCall() {
        gateway.client().get().uri("/authz-unknown/x")
            .exchange()
            .expectStatus().isEqualTo(500)
            .expectBody(String.class).isEqualTo("grpc call failed: 4\n");

        assertThat(grpc.calls()).isEmpty();
    }

    @Test
    void anHttpClusterIsNoGrpcCluster() {
        gateway.client().get().uri("/authz-http/x")
            .exchange()
            .expectStatus().isEqualTo(500)
            .expectBody(String.class).isEqualTo("grpc call failed: 4\n");
    }

    @Test
    void aClientThatGivesUpCancelsTheCall() {
        Disposable request = HttpClient.create().get()
            .uri("http://localhost:" + gateway.port() + "/authz/slow")
            .responseContent()
            .subscribe();
        await().atMost(Duration.ofSeconds(5)).until(() -> !grpc.calls().isEmpty());

        request.dispose();

        await().atMost(Duration.ofSeconds(5))
            .until(() -> grpc.cancelled().contains("envoy.service.auth.v3.Authorization/Check"));
        upstream.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void fiveHundredRequestsPausedOnTheirOwnCallsAreAllAnsweredWithoutHoldingThreads() {
        int threadsBefore = Thread.activeCount();
        ConnectionProvider connections = ConnectionProvider.builder("it-grpc-500").maxConnections(600)
            .pendingAcquireMaxCount(-1).build();
        HttpClient client = HttpClient.create(connections).responseTimeout(Duration.ofSeconds(30));
        int[] maxThreads = {threadsBefore};
        Disposable sampler = Flux.interval(Duration.ofMillis(50))
            .subscribe(tick -> maxThreads[0] = Math.max(maxThreads[0], Thread.activeCount()));
        try {
            List<String> bodies = Flux.range(0, 500)
                .flatMap(i -> client.headers(h -> h.add("authorization", "Bearer good"))
                    .get()
                    .uri("http://localhost:" + gateway.port() + "/authz-burst/delay/" + i)
                    .responseSingle((response, body) -> body.asString()
                        .map(text -> response.status().code() + " " + text)
                        .defaultIfEmpty(response.status().code() + " ")), 500)
                .collectList()
                .block(Duration.ofSeconds(60));

            assertThat(bodies).hasSize(500).containsOnly("200 upstream");
        }
        finally {
            sampler.dispose();
            connections.disposeLater().block(Duration.ofSeconds(5));
        }
        System.out.printf("live threads: %d before, at most %d while 500 requests waited on gRPC calls%n",
                threadsBefore, maxThreads[0]);
        assertThat(maxThreads[0] - threadsBefore).isLessThan(100);
        assertThat(grpc.calls()).hasSize(500);
    }

    @Test
    void callsAreTimedByClusterAndStatus() {
        gateway.client().get().uri("/authz/m").header("authorization", "Bearer good").exchange()
            .expectStatus().isOk().expectBody().returnResult();
        gateway.client().get().uri("/authz/error").exchange()
            .expectStatus().isEqualTo(503).expectBody().returnResult();

        MeterRegistry registry = gateway.context().getBean(MeterRegistry.class);
        assertThat(registry.get("wasm.grpc.calls").tag("cluster", "ext-authz").tag("kind", "unary")
            .tag("status", "OK").timer().count()).isGreaterThanOrEqualTo(1);
        assertThat(registry.get("wasm.grpc.calls").tag("cluster", "ext-authz").tag("status", "RESOURCE_EXHAUSTED")
            .timer().count()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void theActuatorListsTheGrpcClusters() {
        gateway.client().get().uri("/actuator/wasm")
            .exchange()
            .expectStatus().isOk()
            .expectBody()
            .jsonPath("$.grpcClusters.ext-authz.target").isEqualTo("localhost:" + grpc.port())
            .jsonPath("$.grpcClusters.ext-authz.tls").isEqualTo(false)
            .jsonPath("$.grpcClusters.down.deadline").isEqualTo("PT10S")
            .jsonPath("$.grpcClusters.plain-http").doesNotExist();
    }

    // ---- streams: grpc_stream_filter ----

    @Test
    void aBidirectionalStreamDeliversMetadataMessagesTrailersAndStatusInOrder() {
        gateway.client().get().uri("/chat/x")
            .exchange()
            .expectStatus().isOk()
            .expectHeader().valueEquals("x-grpc-status", "0")
            .expectHeader().valueEquals("x-grpc-initial", "hello")
            .expectHeader().valueEquals("x-grpc-trailer", "bye")
            .expectHeader().valueEquals("x-grpc-callbacks", "IMMTC")
            .expectHeader().valueEquals("x-grpc-close", "1") // both sides done: the stream is gone (Envoy too)
            .expectBody(String.class).isEqualTo("echo:/chat/x#1,echo:/chat/x#2\n");

        assertThat(grpc.requestHeaders().get(0).get(GrpcTestServer.key("x-request-path"))).isEqualTo("/chat/x");
        upstream.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aServerStreamDeliversEveryMessage() {
        gateway.client().get().uri("/watch/y")
            .exchange()
            .expectStatus().isOk()
            .expectHeader().valueEquals("x-grpc-status", "0")
            .expectHeader().valueEquals("x-grpc-initial", "watching")
            .expectHeader().valueEquals("x-grpc-callbacks", "IMMMTC")
            .expectBody(String.class).isEqualTo("/watch/y#1/1,/watch/y#1/2,/watch/y#1/3\n");
    }

    @Test
    void aStreamsErrorStatusAndTrailersReachTheFilter() {
        gateway.client().get().uri("/fail/z")
            .exchange()
            .expectStatus().isOk()
            .expectHeader().valueEquals("x-grpc-status", "5")
            .expectHeader().valueEquals("x-grpc-message", "no such stream")
            .expectHeader().valueEquals("x-grpc-trailer", "sorry")
            .expectHeader().valueEquals("x-grpc-callbacks", "TC") // trailers only: no initial metadata
            .expectHeader().valueEquals("x-grpc-close", "0") // still open on the filter's side: closing is OK
            .expectBody(String.class).isEqualTo("\n");
    }

    @Test
    void aClientThatGivesUpCancelsTheStream() {
        Disposable request = HttpClient.create().get()
            .uri("http://localhost:" + gateway.port() + "/hang/x")
            .responseContent()
            .subscribe();
        await().atMost(Duration.ofSeconds(5)).until(() -> grpc.calls().contains("test.Streams/Hang"));

        request.dispose();

        await().atMost(Duration.ofSeconds(5)).until(() -> grpc.cancelled().contains("test.Streams/Hang"));
    }

    // ---- the services ----

    /** ext_authz's Check: "Bearer good" is allowed, anything else denied; paths /error, /slow, /delay/*. */
    static void check(ServerCall<byte[], byte[]> call, byte[] message) {
        CheckSeen seen = readCheck(message);
        checks.add(seen);
        if (seen.path().endsWith("/error")) {
            GrpcTestServer.close(call, Status.RESOURCE_EXHAUSTED.withDescription("quota gone"), new Metadata());
            return;
        }
        boolean allowed = "Bearer good".equals(seen.authorization());
        byte[] answer = allowed ? allowedResponse() : deniedResponse();
        Runnable respond = () -> {
            try {
                call.sendHeaders(new Metadata());
                call.sendMessage(answer);
                GrpcTestServer.close(call, Status.OK, new Metadata());
            }
            catch (IllegalStateException cancelled) {
                // the client went away first
            }
        };
        if (seen.path().endsWith("/slow")) {
            grpc.later(3000, respond);
        }
        else if (seen.path().contains("/delay/")) {
            grpc.later(1000, respond);
        }
        else {
            respond.run();
        }
    }

    /** Chat: initial metadata at once, an echo per message, trailers when the client is done. */
    static final class Chat implements GrpcTestServer.Method {
        @Override
        public void started(ServerCall<byte[], byte[]> call, Metadata headers) {
            Metadata initial = new Metadata();
            initial.put(GrpcTestServer.key("x-initial"), "hello");
            call.sendHeaders(initial);
        }

        @Override
        public void message(ServerCall<byte[], byte[]> call, byte[] message) {
            call.sendMessage(("echo:" + new String(message, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void halfClosed(ServerCall<byte[], byte[]> call) {
            Metadata trailers = new Metadata();
            trailers.put(GrpcTestServer.key("x-trailer"), "bye");
            GrpcTestServer.close(call, Status.OK, trailers);
        }
    }

    /** Watch: three answers to the one request, then OK. */
    static final class Watch implements GrpcTestServer.Method {
        @Override
        public void message(ServerCall<byte[], byte[]> call, byte[] message) {
            Metadata initial = new Metadata();
            initial.put(GrpcTestServer.key("x-initial"), "watching");
            call.sendHeaders(initial);
            String text = new String(message, StandardCharsets.UTF_8);
            for (int i = 1; i <= 3; i++) {
                call.sendMessage((text + "/" + i).getBytes(StandardCharsets.UTF_8));
            }
        }

        @Override
        public void halfClosed(ServerCall<byte[], byte[]> call) {
            GrpcTestServer.close(call, Status.OK, new Metadata());
        }
    }

    // ---- envoy.service.auth.v3 messages, written and read with protobuf-java's coded streams ----

    /** CheckRequest.attributes(1).request(4).http(2): method(2), headers(3), path(4), host(5). */
    static CheckSeen readCheck(byte[] message) {
        try {
            byte[] attributes = field(message, 1);
            byte[] request = field(attributes, 4);
            byte[] http = field(request, 2);
            Map<Integer, String> strings = new HashMap<>();
            Map<String, String> headers = new HashMap<>();
            CodedInputStream in = CodedInputStream.newInstance(http);
            for (int tag; (tag = in.readTag()) != 0;) {
                int number = tag >>> 3;
                if (number == 3) { // map<string, string> entry: key(1), value(2)
                    CodedInputStream entry = CodedInputStream.newInstance(in.readByteArray());
                    String key = null;
                    String value = null;
                    for (int t; (t = entry.readTag()) != 0;) {
                        if (t >>> 3 == 1) {
                            key = entry.readString();
                        }
                        else {
                            value = entry.readString();
                        }
                    }
                    headers.put(key, value);
                }
                else if ((tag & 7) == 2) {
                    strings.put(number, in.readString());
                }
                else {
                    in.skipField(tag);
                }
            }
            return new CheckSeen(strings.get(2), strings.get(4), strings.get(5), headers.get("authorization"));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static byte[] field(byte[] message, int number) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(message);
        for (int tag; (tag = in.readTag()) != 0;) {
            if (tag >>> 3 == number) {
                return in.readByteArray();
            }
            in.skipField(tag);
        }
        return new byte[0];
    }

    /** CheckResponse{status: {code: 0}, ok_response: {headers: [{header: {key: x-checked-by, value: grpc-authz}}]}} */
    static byte[] allowedResponse() {
        byte[] header = message(out -> {
            out.writeString(1, "x-checked-by");
            out.writeString(2, "grpc-authz");
        });
        byte[] option = message(out -> out.writeByteArray(1, header));
        byte[] ok = message(out -> out.writeByteArray(2, option));
        return message(out -> {
            out.writeByteArray(1, new byte[0]);
            out.writeByteArray(3, ok);
        });
    }

    /** CheckResponse{status: {code: 7}, denied_response: {status: {code: 401}, body: "no entry\n"}} */
    static byte[] deniedResponse() {
        byte[] status = message(out -> out.writeInt32(1, 7));
        byte[] httpStatus = message(out -> out.writeEnum(1, 401));
        byte[] denied = message(out -> {
            out.writeByteArray(1, httpStatus);
            out.writeString(3, "no entry\n");
        });
        return message(out -> {
            out.writeByteArray(1, status);
            out.writeByteArray(2, denied);
        });
    }

    interface Fields {
        void write(CodedOutputStream out) throws IOException;
    }

    static byte[] message(Fields fields) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            fields.write(out);
            out.flush();
            return bytes.toByteArray();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
