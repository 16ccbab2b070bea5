package io.wasmgateway.gateway.exchange;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import io.wasmgateway.host.Decision;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;

/**
 * The response the ProxyWasm filters of a request see: when it is about to be written (upstream response,
 * local response or empty response) their response callbacks run, their header changes are applied, and a
 * local response from one of them replaces what was going to be written.
 */
final class ProxyWasmResponse extends ServerHttpResponseDecorator {

    private static final Logger log = LoggerFactory.getLogger(ProxyWasmResponse.class);

    private final ProxyWasmExchange exchange;

    private final HttpMethod requestMethod;

    ProxyWasmResponse(ServerHttpResponse delegate, ProxyWasmExchange exchange, HttpMethod requestMethod) {
        super(delegate);
        this.exchange = exchange;
        this.requestMethod = requestMethod;
    }

    @Override
    public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
        boolean endOfStream = ResponseHeaders.endOfStream(requestMethod, getDelegate());
        return afterCallbacks(endOfStream, decision -> {
            if (decision instanceof Decision.Respond respond) {
                return replace(body, respond);
            }
            BodyChain chain = bodyChain(endOfStream);
            return chain == null ? getDelegate().writeWith(body)
                    : writeThrough(chain, Flux.from(body), getDelegate()::writeWith);
        });
    }

    @Override
    public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
        boolean endOfStream = ResponseHeaders.endOfStream(requestMethod, getDelegate());
        return afterCallbacks(endOfStream, decision -> {
            if (decision instanceof Decision.Respond respond) {
                return replace(body, respond);
            }
            BodyChain chain = bodyChain(endOfStream);
            return chain == null ? getDelegate().writeAndFlushWith(body)
                    : writeThrough(chain, Flux.from(body).concatMap(Flux::from),
                            out -> getDelegate().writeAndFlushWith(out.map(Mono::just)));
        });
    }

    /** The response body callbacks of the filters, last one first; null when none has one or no body follows. */
    private BodyChain bodyChain(boolean endOfStream) {
        if (endOfStream) {
            return null;
        }
        List<FilterStream> streams = exchange.responseBodyOrder();
        return streams.isEmpty() ? null : new BodyChain(streams, false, bufferFactory(),
                getDelegate().getHeaders().getContentLength());
    }

    /**
     * Writes the body through the filters. The response is committed with the first bytes they let through, so
     * until then a filter may still change status and headers or answer locally.
     */
    private Mono<Void> writeThrough(BodyChain chain, Flux<? extends DataBuffer> body,
            Function<Flux<DataBuffer>, Mono<Void>> write) {
        return chain.apply(body.cast(DataBuffer.class)).switchOnFirst((first, rest) -> {
            if (first.isOnError()) {
                return Mono.error(first.getThrowable());
            }
            ResponseHeaders.apply(exchange.responseHeaders(), getDelegate());
            BodyFraming.adjust(getDelegate().getHeaders(), chain, first);
            return write.apply(rest);
        })
            .then()
            .onErrorResume(error -> BodyAnswers.find(error) != null, error -> BodyAnswers.answer(exchange.exchange(),
                    getDelegate(), BodyAnswers.find(error), false, exchange.aborts()));
    }

    @Override
    public Mono<Void> setComplete() {
        return afterCallbacks(true, decision -> decision instanceof Decision.Respond respond
                ? replace(Flux.empty(), respond) : getDelegate().setComplete());
    }

    /**
     * For a response written without this decorator (the gateway's error handler writes to the original
     * response): the callbacks still run and change status and headers, but a local response cannot replace
     * a body that is already being written.
     */
    Mono<Void> beforeCommitOfOriginal() {
        return afterCallbacks(ResponseHeaders.endOfStream(requestMethod, getDelegate()), decision -> {
            if (decision instanceof Decision.Respond) {
                log.warn("A wasm filter's response callback asked to replace an error response of the gateway; "
                        + "the error response was kept");
            }
            return Mono.empty();
        });
    }

    /**
     * When subscribed, the response callbacks (once per request), then {@code write} with their decision: at once
     * when they ran inline, else when the pending one completes.
     */
    private Mono<Void> afterCallbacks(boolean endOfStream, Function<Decision, Mono<Void>> write) {
        return Mono.defer(() -> {
            CompletableFuture<Decision> decided = ResponseCallbacks.run(exchange, getDelegate(), endOfStream);
            return decided.isDone() ? write.apply(decided.getNow(null)) : Mono.fromFuture(exchange.onLoop(decided), true).flatMap(write);
        });
    }

    private Mono<Void> replace(Publisher<?> body, Decision.Respond respond) {
        discard(body);
        return LocalResponses.write(getDelegate(), respond.response(), true);
    }

    /**
     * Lets go of a body that will not be written: subscribes and cancels at once (for an upstream response,
     * Reactor Netty then drops the connection and its buffers) and releases anything already emitted.
     */
    private static void discard(Publisher<?> body) {
        body.subscribe(new BaseSubscriber<Object>() {
            @Override
            protected void hookOnSubscribe(Subscription subscription) {
                subscription.cancel();
            }

            @Override
            protected void hookOnNext(Object value) {
                if (value instanceof DataBuffer buffer) {
                    DataBufferUtils.release(buffer);
                }
                else if (value instanceof Publisher<?> inner) {
                    discard(inner);
                }
            }
        });
    }
}
