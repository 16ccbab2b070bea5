package io.wasmgateway.gateway.exchange;

import reactor.core.publisher.Signal;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;

/**
 * Content-Length for a body that filters may have changed, decided when its headers leave with the first bytes:
 * exact when the whole body is known by then, removed (the message goes chunked) when the body changed and more
 * is to come, kept otherwise, and then held to.
 */
final class BodyFraming {

    private BodyFraming() {
    }

    static void adjust(HttpHeaders headers, BodyChain body, Signal<? extends DataBuffer> first) {
        boolean whole = !first.isOnNext() || body.lastFrameEnded();
        if (whole && body.changed()) {
            headers.remove(HttpHeaders.TRANSFER_ENCODING);
            headers.setContentLength(first.isOnNext() ? first.get().readableByteCount() : 0);
        }
        else if (body.changed()) {
            headers.remove(HttpHeaders.CONTENT_LENGTH);
        }
        else if (headers.getContentLength() >= 0) {
            body.declaredLengthSent();
        }
    }
}
