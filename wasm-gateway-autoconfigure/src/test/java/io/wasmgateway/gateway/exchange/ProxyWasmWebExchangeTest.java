package io.wasmgateway.gateway.exchange;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

class ProxyWasmWebExchangeTest {

    private final MockServerWebExchange original = MockServerWebExchange.from(MockServerHttpRequest.get("/a"));

    private final ProxyWasmExchange state = new ProxyWasmExchange();

    private final ProxyWasmResponse response = new ProxyWasmResponse(original.getResponse(), state, HttpMethod.GET);

    private final ProxyWasmWebExchange decorated = new ProxyWasmWebExchange(original, state, response);

    @Test
    void showsTheRequestAsItIsAndTheProxyWasmResponse() {
        assertThat(decorated.getRequest()).isSameAs(original.getRequest());
        assertThat(decorated.getResponse()).isSameAs(response);
        assertThat(decorated.getAttributes()).isSameAs(original.getAttributes());
    }

    @Test
    void aChangedRequestGoesOnInACopyOfTheDecorationNotInAnotherLayerAndTheOriginalKeepsItsRequest() {
        ServerHttpRequest changed = original.getRequest().mutate().path("/b").build();

        ServerWebExchange result = ProxyWasmWebExchange.withRequest(decorated, changed);

        assertThat(result).isInstanceOf(ProxyWasmWebExchange.class).isNotSameAs(decorated);
        assertThat(((ProxyWasmWebExchange) result).getDelegate()).isSameAs(original);
        assertThat(result.getRequest()).isSameAs(changed);
        assertThat(result.getResponse()).isSameAs(response);
        assertThat(decorated.getRequest()).isSameAs(original.getRequest()); // a Retry before it runs it again as it was
    }

    @Test
    void anExchangeSomebodyElseDecoratedIsMutatedAsBefore() {
        ServerWebExchange other = decorated.mutate().build();
        ServerHttpRequest changed = original.getRequest().mutate().path("/b").build();

        ServerWebExchange result = ProxyWasmWebExchange.withRequest(other, changed);

        assertThat(result).isNotSameAs(other).isNotSameAs(decorated);
        assertThat(result.getRequest()).isSameAs(changed);
        assertThat(result.getResponse()).isSameAs(response);
        assertThat(decorated.getRequest()).isSameAs(original.getRequest());
    }

    @Test
    void theStateIsTheDecorationsOrFoundInTheAttributes() {
        assertThat(ProxyWasmWebExchange.state(original)).isNull();
        state.attach(decorated, RouteFilters.NONE);

        assertThat(ProxyWasmWebExchange.state(decorated)).isSameAs(state);
        assertThat(ProxyWasmWebExchange.state(decorated.mutate().build())).isSameAs(state);
        assertThat(ProxyWasmWebExchange.state(original)).isSameAs(state);
    }
}
