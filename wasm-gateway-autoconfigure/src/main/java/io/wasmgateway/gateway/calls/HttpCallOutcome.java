package io.wasmgateway.gateway.calls;

import java.util.concurrent.TimeoutException;

import io.wasmgateway.host.HttpCallResponse;

/** How an outbound call ended, as the {@code outcome} tag of {@code wasm.http.calls}. */
final class HttpCallOutcome {

    private HttpCallOutcome() {
    }

    /** "success" for a 2xx answer, else the status class ("4xx", "5xx", ...). */
    static String of(HttpCallResponse response) {
        String status = response.headers().get(0).getValue();
        return status.charAt(0) == '2' ? "success" : status.charAt(0) + "xx";
    }

    static String of(Throwable error) {
        return error instanceof TimeoutException ? "timeout" : "error";
    }
}
