package io.wasmgateway.gateway.exchange;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

import io.wasmgateway.host.Decision;
import io.wasmgateway.host.abi.AbiBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * One direction of a request's body through the body callbacks of its ProxyWasm filters, frame by frame as
 * Envoy's filter chain passes data: a chunk goes to the first filter, what that filter lets through goes to the
 * next, and so on; what the last one lets through goes on. End of stream travels with the chunk that completes a
 * declared Content-Length, else as an empty last frame when the body ends, so every filter sees it exactly once.
 * A filter that pauses makes the host hold the body, and the chunk is released at once: a body a filter lets
 * through is never copied, one it holds is held once, in the host, up to max-buffered-body.
 *
 * <p>A filter's local response, a trap, or a held body past the limit ends the body with a
 * {@link BodyInterruption}; a fail-open filter that fails before it held or changed any byte is skipped instead,
 * and the body goes on whole without it. Chunks are processed one at a time (the state here is touched by one
 * frame at a time).
 */
final class BodyChain {

    private static final Logger log = LoggerFactory.getLogger(BodyChain.class);

    private final List<FilterStream> streams;

    private final boolean request;

    private final DataBufferFactory buffers;

    private final long declaredLength;

    private long received;

    private long sent;

    private volatile boolean ended;

    private volatile boolean lastFrameEnded;

    private volatile boolean changed;

    private volatile FilterStream lastChanger;

    private volatile boolean declaredLengthSent;

    // by index in streams: whether that filter held, replaced or dropped bytes (it can't be skipped cleanly then)
    private final boolean[] touchedBody;

    /**
     * @param streams the filters with a body callback for this direction, in the order data passes them
     * @param declaredLength the Content-Length, or -1
     */
    BodyChain(List<FilterStream> streams, boolean request, DataBufferFactory buffers, long declaredLength) {
        this.streams = streams;
        this.request = request;
        this.buffers = buffers;
        this.declaredLength = declaredLength;
        this.touchedBody = new boolean[streams.size()];
    }

    Flux<DataBuffer> apply(Flux<DataBuffer> body) {
        return body.concatMap(this::frame, 1)
            .concatWith(Mono.defer(() -> ended ? Mono.empty() : frame(null)))
            .concatWith(Mono.defer(this::checkSentLength))
            .doOnDiscard(DataBuffer.class, DataBufferUtils::release);
    }

    /** Whether some filter changed, held or dropped bytes so far: the body's length may differ. */
    boolean changed() {
        return changed;
    }

    /** Whether the last frame out carried end of stream: then the first buffer out is the whole body. */
    boolean lastFrameEnded() {
        return lastFrameEnded;
    }

    /** The headers went out with the declared Content-Length: the body must keep that length. */
    void declaredLengthSent() {
        declaredLengthSent = true;
    }

    private Mono<DataBuffer> frame(DataBuffer chunk) {
        boolean endOfStream = chunk == null;
        if (chunk != null) {
            received += chunk.readableByteCount();
            endOfStream = declaredLength >= 0 && received >= declaredLength;
        }
        if (endOfStream) {
            ended = true;
        }
        boolean last = endOfStream;
        return through(0, chunk, endOfStream).doOnNext(out -> {
            sent += out.readableByteCount();
            lastFrameEnded = last;
        });
    }

    private Mono<DataBuffer> through(int index, DataBuffer data, boolean endOfStream) {
        if (index == streams.size()) {
            return Mono.justOrEmpty(data);
        }
        if (data == null && !endOfStream) {
            return Mono.empty();
        }
        FilterStream stream = streams.get(index);
        if (stream.failed()) {
            return through(index + 1, data, endOfStream);
        }
        CompletableFuture<Decision> call;
        try {
            call = callback(stream, DataBufferChunk.of(data), endOfStream).toCompletableFuture();
        }
        catch (RuntimeException ex) {
            return failed(index, stream, ex, data, endOfStream, new AtomicBoolean(true));
        }
        // the chunk is ours until a decision takes it, or until the callback is over when nobody waits for one
        AtomicBoolean owned = new AtomicBoolean(true);
        return Mono.fromFuture(stream.onLoop(call.handle(Outcome::new)), true)
            .doOnCancel(() -> call.whenComplete((decision, error) -> releaseIfOwned(owned, data)))
            .flatMap(outcome -> {
                if (outcome.error() != null) {
                    return failed(index, stream, outcome.error(), data, endOfStream, owned);
                }
                return owned.compareAndSet(true, false) ? next(index, stream, outcome.decision(), data, endOfStream)
                        : Mono.empty();
            });
    }

    /** How a body callback ended (an error here, not as the signal: what the next filters do is not its error). */
    private record Outcome(Decision decision, Throwable error) {

        Outcome {
            if (error instanceof CompletionException wrapped && wrapped.getCause() != null) {
                error = wrapped.getCause();
            }
        }
    }

    /**
     * A filter's body callback failed: a fail-open filter that has not touched the body yet is skipped from now on
     * and the chunk goes on to the next one; otherwise the body ends here.
     */
    private Mono<DataBuffer> failed(int index, FilterStream stream, Throwable error, DataBuffer data,
            boolean endOfStream, AtomicBoolean owned) {
        if (FailureAnswer.skipsFilter(stream.policy()) && !touchedBody[index]) {
            stream.markFailed();
            log.error("wasm module '{}' failed in its {} body callback (fail-open), the body goes on without it: {}",
                    stream.module(), request ? "request" : "response", error.toString());
            return owned.compareAndSet(true, false) ? through(index + 1, data, endOfStream) : Mono.empty();
        }
        releaseIfOwned(owned, data);
        return Mono.error(BodyInterruption.failed(stream, error));
    }

    private static void releaseIfOwned(AtomicBoolean owned, DataBuffer data) {
        if (owned.compareAndSet(true, false)) {
            release(data);
        }
    }

    private Mono<DataBuffer> next(int index, FilterStream stream, Decision decision, DataBuffer data,
            boolean endOfStream) {
        if (decision instanceof Decision.Continue) {
            return through(index + 1, data, endOfStream);
        }
        release(data);
        if (decision instanceof Decision.ContinueWithBody replaced) {
            changedBy(index, stream);
            byte[] body = replaced.body();
            return through(index + 1, body.length == 0 ? null : buffers.wrap(body), endOfStream);
        }
        if (decision instanceof Decision.Pause) {
            changedBy(index, stream);
            if (!endOfStream) {
                return Mono.empty(); // held by the host until the filter lets it through
            }
            return HostStages.mono(stream, () -> stream.context().resumption())
                .onErrorMap(error -> BodyInterruption.failed(stream, error))
                .flatMap(resumed -> next(index, stream, resumed, null, true));
        }
        if (decision instanceof Decision.Respond respond) {
            return Mono.error(BodyInterruption.localResponse(stream, respond.response()));
        }
        if (decision instanceof Decision.BodyTooLarge tooLarge) {
            return Mono.error(BodyInterruption.tooLarge(stream, tooLarge.limit()));
        }
        return Mono.error(new IllegalStateException("unexpected decision " + decision));
    }

    private CompletionStage<Decision> callback(FilterStream stream, AbiBuffer chunk, boolean endOfStream) {
        return request ? stream.context().onRequestBody(chunk, endOfStream)
                : stream.context().onResponseBody(chunk, endOfStream);
    }

    private void changedBy(int index, FilterStream stream) {
        changed = true;
        touchedBody[index] = true;
        lastChanger = stream;
    }

    private Mono<DataBuffer> checkSentLength() {
        if (declaredLengthSent && sent != declaredLength) {
            return Mono.error(BodyInterruption.lengthChanged(lastChanger, declaredLength, sent));
        }
        return Mono.empty();
    }

    private static void release(DataBuffer data) {
        if (data != null) {
            DataBufferUtils.release(data);
        }
    }
}
