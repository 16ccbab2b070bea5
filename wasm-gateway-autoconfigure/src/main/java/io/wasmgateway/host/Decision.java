package io.wasmgateway.host;

/**
 * What the gateway does after an HTTP callback: go on, hold the stream until the filter resumes it, or answer
 * with the filter's local response.
 */
public sealed interface Decision {

    Decision CONTINUE = new Continue();
    Decision PAUSE = new Pause();

    record Continue() implements Decision {
    }

    record Pause() implements Decision {
    }

    record Respond(LocalResponse response) implements Decision {
    }
}
