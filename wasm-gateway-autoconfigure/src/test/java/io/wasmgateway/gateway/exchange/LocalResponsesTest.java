package io.wasmgateway.gateway.exchange;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.wasmgateway.host.LocalResponse;
import org.junit.jupiter.api.Test;

import org.springframework.mock.http.server.reactive.MockServerHttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

class LocalResponsesTest {

    private final MockServerHttpResponse response = new MockServerHttpResponse();

    @Test
    void writesStatusHeadersAndBodyWithOurContentLengthAndWithoutHopByHopHeaders() {
        LocalResponse local = new LocalResponse(403, "denied", "no\n".getBytes(StandardCharsets.US_ASCII),
                List.of(Map.entry("X-Denied-By", "f"), Map.entry("connection", "close"), Map.entry("Keep-Alive", "5"),
                        Map.entry("transfer-encoding", "chunked"), Map.entry("upgrade", "h2c"), Map.entry("te", "x"),
                        Map.entry("trailer", "x"), Map.entry("proxy-connection", "x"),
                        Map.entry("content-length", "99"),
                        Map.entry("x-multi", "1"), Map.entry("x-multi", "2")),
                -1);

        LocalResponses.write(response, local, false).block();

        assertThat(response.getStatusCode().value()).isEqualTo(403);
        assertThat(response.getHeaders().headerNames()).containsExactlyInAnyOrder("x-denied-by", "x-multi",
                "Content-Type", "Content-Length");
        assertThat(response.getHeaders().get("x-multi")).containsExactly("1", "2");
        assertThat(response.getHeaders().getContentLength()).isEqualTo(3);
        assertThat(response.getHeaders().getFirst("content-type")).isEqualTo("text/plain");
        assertThat(response.getBodyAsString().block()).isEqualTo("no\n");
    }

    @Test
    void keepsTheFiltersContentTypeAndSetsNoneForAnEmptyBody() {
        LocalResponses.write(response, new LocalResponse(200, "", "{}".getBytes(StandardCharsets.US_ASCII),
                List.of(Map.entry("content-type", "application/json")), -1), false).block();
        assertThat(response.getHeaders().get("content-type")).containsExactly("application/json");

        MockServerHttpResponse empty = new MockServerHttpResponse();
        LocalResponses.write(empty, new LocalResponse(204, "", new byte[0], List.of(), -1), false).block();
        assertThat(empty.getHeaders().getContentType()).isNull();
        assertThat(empty.getHeaders().getContentLength()).isZero();
    }

    @Test
    void replacesOrKeepsTheHeadersAlreadyOnTheResponse() {
        response.getHeaders().add("x-upstream", "1");
        LocalResponses.write(response, new LocalResponse(502, "", new byte[0], List.of(), -1), true).block();
        assertThat(response.getHeaders().containsHeader("x-upstream")).isFalse();

        MockServerHttpResponse kept = new MockServerHttpResponse();
        kept.getHeaders().add("x-added-by-gateway", "1");
        LocalResponses.write(kept, new LocalResponse(403, "", new byte[0], List.of(), -1), false).block();
        assertThat(kept.getHeaders().containsHeader("x-added-by-gateway")).isTrue();
    }

    @Test
    void aStatusThatCannotBeSentBecomes500() {
        LocalResponses.write(response, new LocalResponse(42, "", new byte[0], List.of(), -1), false).block();

        assertThat(response.getStatusCode().value()).isEqualTo(500);
    }

    @Test
    void theFailureResponseSaysNothingAboutTheFilter() {
        LocalResponses.write(response, LocalResponses.failure(), false).block();

        assertThat(response.getStatusCode().value()).isEqualTo(503);
        assertThat(response.getBodyAsString().block()).isEqualTo("wasm filter failed\n");
    }
}
