package io.wasmgateway.gateway.exchange;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.wasmgateway.host.HeaderMap;
import io.wasmgateway.host.LocalResponse;
import io.wasmgateway.host.abi.Limits;

/**
 * The host's bounds on what a request may hand a filter: a request whose header map has more pairs or bytes than
 * a filter may be given ({@link Limits#MAX_MAP_PAIRS}, {@link Limits#MAX_MAP_BYTES}) is refused with 431 before
 * any filter sees it. Reactor Netty's own limits (server.max-http-request-header-size, 8KB by default, and the
 * 4KB request line) usually refuse such requests first.
 */
final class RequestLimits {

    private static final byte[] TOO_LARGE = "request headers too large\n".getBytes(StandardCharsets.US_ASCII);

    private RequestLimits() {
    }

    /** The 431 answer when the map is beyond the limits, else null. */
    static LocalResponse refusal(HeaderMap headers) {
        if (headers.size() > Limits.MAX_MAP_PAIRS) {
            return tooLarge();
        }
        // as serialized for a guest: a count, two lengths per pair, then names and values, each with its zero
        long bytes = 4 + 10L * headers.size() + headers.textLength();
        return bytes > Limits.MAX_MAP_BYTES ? tooLarge() : null;
    }

    private static LocalResponse tooLarge() {
        return new LocalResponse(431, "request_headers_too_large", TOO_LARGE, List.of(), -1);
    }
}
