package io.wasmgateway.gateway.exchange;

import io.wasmgateway.host.HeaderMap;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ResponseHeadersTest {

    private final MockServerHttpResponse response = new MockServerHttpResponse();

    @Test
    void statusFirstThenHeadersInLowerCase() {
        response.setStatusCode(HttpStatus.CREATED);
        response.getHeaders().add("X-One", "1");
        response.getHeaders().add("Content-Length", "5");

        assertThat(ResponseHeaders.from(response)).hasToString("{:status=201, x-one=1, content-length=5}");
    }

    @Test
    void appliesStatusAndHeaders() {
        response.getHeaders().add("x-gone", "1");
        HeaderMap map = ResponseHeaders.from(response);
        map.set(":status", "418");
        map.remove("x-gone");
        map.add("x-new", "2");

        ResponseHeaders.apply(map, response);

        assertThat(response.getStatusCode().value()).isEqualTo(418);
        assertThat(response.getHeaders().headerNames()).containsExactly("x-new");
    }

    @Test
    void refusesAStatusThatIsNotOne() {
        HeaderMap map = ResponseHeaders.from(response);
        map.set(":status", "abc");

        assertThatIllegalArgumentException().isThrownBy(() -> ResponseHeaders.apply(map, response));
    }

    @Test
    void noBodyFollowsForHeadRequestsAndBodilessStatuses() {
        assertThat(ResponseHeaders.endOfStream(HttpMethod.GET, response)).isFalse();
        assertThat(ResponseHeaders.endOfStream(HttpMethod.HEAD, response)).isTrue();
        response.setStatusCode(HttpStatus.NO_CONTENT);
        assertThat(ResponseHeaders.endOfStream(HttpMethod.GET, response)).isTrue();
        response.setStatusCode(HttpStatus.NOT_MODIFIED);
        assertThat(ResponseHeaders.endOfStream(HttpMethod.GET, response)).isTrue();
        response.setStatusCode(HttpStatus.OK);
        response.getHeaders().setContentLength(0);
        assertThat(ResponseHeaders.endOfStream(HttpMethod.GET, response)).isTrue();
    }
}
