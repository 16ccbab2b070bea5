package io.wasmgateway.gateway.exchange;

import org.springframework.cloud.gateway.support.GatewayToStringStyler;
import org.springframework.core.style.ToStringCreator;

/**
 * The gateway's own {@code toString()} style for our route filters, as {@code /actuator/gateway/routes} shows the
 * gateway's filters ({@code [AddRequestHeader name = 'x', value = '1']}), named by the factory: {@code ProxyWasm}.
 */
final class FilterToString {

    private FilterToString() {
    }

    static ToStringCreator of(Object filter) {
        return new ToStringCreator(filter, new GatewayToStringStyler(filter.getClass(), type -> "ProxyWasm"));
    }
}
