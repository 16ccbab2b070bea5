package io.wasmgateway.test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.wasmgateway.host.HttpCallResponse;

/** Answers for {@link StubUpstreams}. */
public final class TestResponses {

    private TestResponses() {
    }

    /** An answer with {@code :status}, the headers given as name, value, name, value... and a text body. */
    public static HttpCallResponse status(int status, String body, String... headers) {
        if (headers.length % 2 != 0) {
            throw new IllegalArgumentException("headers come in name, value pairs");
        }
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        pairs.add(Map.entry(":status", Integer.toString(status)));
        for (int i = 0; i < headers.length; i += 2) {
            pairs.add(Map.entry(headers[i].toLowerCase(java.util.Locale.ROOT), headers[i + 1]));
        }
        return new HttpCallResponse(pairs, body.getBytes(StandardCharsets.UTF_8), List.of());
    }

    /** A call that failed (timeout, refused connection): the filter sees no headers. */
    public static HttpCallResponse failed() {
        return HttpCallResponse.failed();
    }
}
