package io.wasmgateway.gateway.exchange;

import io.wasmgateway.host.LocalResponse;

/**
 * Why a body stopped in a filter: a local response, a body past max-buffered-body, a trap, or a length change
 * that a Content-Length already sent cannot carry. Travels as the body's error signal to whoever answers.
 */
final class BodyInterruption extends RuntimeException {

    enum Kind { LOCAL_RESPONSE, TOO_LARGE, FAILED, LENGTH_CHANGED }

    private final Kind kind;

    private final FilterStream stream;

    private final LocalResponse reply;

    private BodyInterruption(Kind kind, FilterStream stream, LocalResponse reply, String message, Throwable cause) {
        super(message, cause, false, false);
        this.kind = kind;
        this.stream = stream;
        this.reply = reply;
    }

    static BodyInterruption localResponse(FilterStream stream, LocalResponse reply) {
        return new BodyInterruption(Kind.LOCAL_RESPONSE, stream, reply, "local response", null);
    }

    static BodyInterruption tooLarge(FilterStream stream, int limit) {
        return new BodyInterruption(Kind.TOO_LARGE, stream, null, "held more than max-buffered-body (" + limit
                + " bytes)", null);
    }

    static BodyInterruption failed(FilterStream stream, Throwable cause) {
        return new BodyInterruption(Kind.FAILED, stream, null, "failed in its body callback: " + cause, cause);
    }

    static BodyInterruption lengthChanged(FilterStream stream, long declared, long sent) {
        return new BodyInterruption(Kind.LENGTH_CHANGED, stream, null, "changed the body's length (" + sent
                + " bytes instead of the Content-Length " + declared + " already sent); remove content-length in "
                + "the header callback to change a streamed body's length", null);
    }

    Kind kind() {
        return kind;
    }

    FilterStream stream() {
        return stream;
    }

    LocalResponse reply() {
        return reply;
    }
}
