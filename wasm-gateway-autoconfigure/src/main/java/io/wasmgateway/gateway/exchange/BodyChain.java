package io.wasmgateway.gateway.exchange;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

import io.wasmgateway.host.Decision;
import io.wasmgateway.host.abi.AbiBuffer;
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
 * {@link BodyInterruption}. Chunks are processed one at a time (the state here is touched by one frame at a
 * time).
 */
final class BodyChain {

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

    /**
     * @param streams the filters with a body callback for this direction, in the order data passes them
     * @param declaredLength the Content-Length, or -1
     */
    BodyChain(List<FilterStream> streams, boolean request, DataBufferFactory buffers, long declaredLength) {
        this.streams = streams;
        this.request = request;
        this.buffers = buffers;
        this.declaredLength = declaredLength;
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
            release(data);
            return Mono.error(BodyInterruption.failed(stream, ex));
        }
        // the chunk is ours until a decision takes it, or until the callback is over when nobody waits for one
        AtomicBoolean owned = new AtomicBoolean(true);
        return Mono.fromFuture(call, true)
            .doOnCancel(() -> call.whenComplete((decision, error) -> releaseIfOwned(owned, data)))
            .onErrorMap(error -> {
                releaseIfOwned(owned, data);
                return BodyInterruption.failed(stream, error);
            })
            .flatMap(decision -> owned.compareAndSet(true, false) ? next(index, stream, decision, data, endOfStream)
                    : Mono.empty());
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
            changedBy(stream);
            byte[] body = replaced.body();
            return through(index + 1, body.length == 0 ? null : buffers.wrap(body), endOfStream);
        }
        if (decision instanceof Decision.Pause) {
            changedBy(stream);
            if (!endOfStream) {
                return Mono.empty(); // held by the host until the filter lets it through
            }
            return HostStages.mono(() -> stream.context().resumption())
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

    private void changedBy(FilterStream stream) {
        changed = true;
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
