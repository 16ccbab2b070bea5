package io.wasmgateway.gateway.exchange;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.wasmgateway.host.LocalResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;

/** What the client gets when a body stopped in a filter ({@link BodyInterruption}). */
final class BodyAnswers {

    private static final Logger log = LoggerFactory.getLogger(BodyAnswers.class);

    private static final LocalResponse REQUEST_TOO_LARGE = new LocalResponse(413, "request_payload_too_large",
            "request body too large\n".getBytes(StandardCharsets.US_ASCII), List.of(), -1);

    private static final LocalResponse RESPONSE_TOO_LARGE = new LocalResponse(502, "response_payload_too_large",
            "response body too large\n".getBytes(StandardCharsets.US_ASCII), List.of(), -1);

    private BodyAnswers() {
    }

    /** The interruption in an error's cause chain (an upstream call may wrap it), or null. */
    static BodyInterruption find(Throwable error) {
        for (Throwable t = Exceptions.unwrap(error); t != null; t = t.getCause()) {
            if (t instanceof BodyInterruption interruption) {
                return interruption;
            }
        }
        return null;
    }

    /**
     * Logs and answers: the filter's local response, 413 (request) or 502 (response) past max-buffered-body,
     * the failure response after a trap. A response already on its way can't be replaced: it is aborted.
     *
     * @param response where to write: the ProxyWasm response for a request body (response callbacks run on the
     *     answer), the original response for a response body
     * @param aborts where a response cut after its headers went out is logged and counted
     */
    static Mono<Void> answer(ServerWebExchange exchange, ServerHttpResponse response, BodyInterruption stop,
            boolean request, ResponseAborts aborts) {
        String direction = request ? "request" : "response";
        LocalResponse answer = switch (stop.kind()) {
            case LOCAL_RESPONSE -> stop.reply();
            case TOO_LARGE -> request ? REQUEST_TOO_LARGE : RESPONSE_TOO_LARGE;
            case FAILED, LENGTH_CHANGED -> LocalResponses.failure();
        };
        if (stop.kind() == BodyInterruption.Kind.FAILED && stop.stream() != null) {
            stop.stream().markFailed();
        }
        if (response.isCommitted()) {
            // the error signal makes Reactor Netty close the connection: the client sees the body did not end
            aborts.record(stop, routeId(exchange));
            return Mono.error(stop);
        }
        if (stop.kind() != BodyInterruption.Kind.LOCAL_RESPONSE) {
            log.error("wasm module '{}' on route '{}': the {} body {}", module(stop), routeId(exchange), direction,
                    stop.getMessage());
        }
        return LocalResponses.write(response, answer, !request);
    }

    private static String module(BodyInterruption stop) {
        return stop.stream() != null ? stop.stream().module() : "?";
    }

    private static String routeId(ServerWebExchange exchange) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        return route != null ? route.getId() : "?";
    }
}
