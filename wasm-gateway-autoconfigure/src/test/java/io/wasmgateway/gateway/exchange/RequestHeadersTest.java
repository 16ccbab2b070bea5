package io.wasmgateway.gateway.exchange;

import java.net.URI;

import io.wasmgateway.host.HeaderMap;
import org.junit.jupiter.api.Test;

import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RequestHeadersTest {

    private final MockServerWebExchange exchange = MockServerWebExchange.from(
            MockServerHttpRequest.method(HttpMethod.GET, URI.create("http://gateway.test/a%20b?q=1&r"))
                .header("Host", "gateway.test")
                .header("X-Multi", "1", "2")
                .header("x-bytes", "caf\u00e9"));

    @Test
    void pseudoHeadersFirstThenHeadersInLowerCaseWithoutHost() {
        RequestHeaders map = RequestHeaders.from(exchange.getRequest());

        assertThat(map).hasToString("{:method=GET, :path=/a%20b?q=1&r, :authority=gateway.test, :scheme=http, "
                + "x-multi=1, x-multi=2, x-bytes=caf\u00e9}");
        assertThat(map.isModified()).isFalse();
    }

    @Test
    void aRequestHasABodyWithAPositiveContentLengthOrATransferEncoding() {
        assertThat(RequestHeaders.hasBody(MockServerHttpRequest.get("/").build())).isFalse();
        assertThat(RequestHeaders.hasBody(MockServerHttpRequest.post("/").contentLength(0).build())).isFalse();
        assertThat(RequestHeaders.hasBody(MockServerHttpRequest.post("/").contentLength(3).build())).isTrue();
        assertThat(RequestHeaders.hasBody(MockServerHttpRequest.post("/").header("Transfer-Encoding", "chunked")
            .build())).isTrue();
    }

    @Test
    void anUnchangedMapLeavesTheExchangeAlone() {
        assertThat(RequestHeaders.apply(exchange, RequestHeaders.from(exchange.getRequest()))).isSameAs(exchange);
    }

    @Test
    void appliesMethodPathQueryAndHeaders() {
        RequestHeaders map = RequestHeaders.from(exchange.getRequest());
        map.set(":method", "POST");
        map.set(":path", "/new/path?x=%2F");
        map.remove("x-multi");
        map.add("x-added", "yes");

        ServerWebExchange changed = RequestHeaders.apply(exchange, map);

        assertThat(changed.getRequest().getMethod()).isEqualTo(HttpMethod.POST);
        assertThat(changed.getRequest().getURI().getRawPath()).isEqualTo("/new/path");
        assertThat(changed.getRequest().getURI().getRawQuery()).isEqualTo("x=%2F");
        assertThat(changed.getRequest().getHeaders().headerNames()).containsExactlyInAnyOrder("x-bytes", "x-added",
                "Host");
        assertThat(changed.getRequest().getHeaders().getFirst("host")).isEqualTo("gateway.test");
        assertThat(changed.getAttributes()).doesNotContainKey(ServerWebExchangeUtils.PRESERVE_HOST_HEADER_ATTRIBUTE);
        assertThat(map.isModified()).isFalse();
    }

    @Test
    void aNewAuthorityIsTheHostSentUpstream() {
        RequestHeaders map = RequestHeaders.from(exchange.getRequest());
        map.set(":authority", "other.test:8443");

        ServerWebExchange changed = RequestHeaders.apply(exchange, map);

        assertThat(changed.getRequest().getHeaders().getFirst("host")).isEqualTo("other.test:8443");
        assertThat(changed.getRequest().getURI().getRawAuthority()).isEqualTo("other.test:8443");
        assertThat(changed.<Boolean>getAttribute(ServerWebExchangeUtils.PRESERVE_HOST_HEADER_ATTRIBUTE)).isTrue();
    }

    @Test
    void refusesAPathThatIsNotAbsolute() {
        RequestHeaders map = RequestHeaders.from(exchange.getRequest());
        map.set(":path", "relative");

        assertThatIllegalArgumentException().isThrownBy(() -> RequestHeaders.apply(exchange, map));
    }
}
