package io.wasmgateway.host;

/**
 * What the gateway does after an HTTP callback: go on, hold the stream until the filter resumes it, or answer
 * with the filter's local response. After a body callback, PAUSE means the host holds the body so far (Envoy's
 * StopIterationAndBuffer); the gateway lets go of the chunk and sends the next one.
 */
public sealed interface Decision {

    Decision CONTINUE = new Continue();
    Decision PAUSE = new Pause();
    Decision AWAIT_BODY = new AwaitBody();

    record Continue() implements Decision {
    }

    record Pause() implements Decision {
    }

    /**
     * After a header callback that paused while a body follows, the module has a body callback for it, and the
     * filter waits for no outbound call: the filter wants to see the body first (Envoy's StopIteration). Its
     * body callbacks run; the headers go on with the first body bytes it lets through, or answer locally.
     */
    record AwaitBody() implements Decision {
    }

    record Respond(LocalResponse response) implements Decision {
    }

    /**
     * After a body callback: go on, with these bytes in place of the chunk (the filter changed the body, or
     * lets through what it held before).
     */
    record ContinueWithBody(byte[] body) implements Decision {
    }

    /** After a body callback: the filter held more body than the module's limit allows. */
    record BodyTooLarge(int limit) implements Decision {
    }
}
