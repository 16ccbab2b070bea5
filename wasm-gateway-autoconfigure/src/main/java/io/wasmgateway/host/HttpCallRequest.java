package io.wasmgateway.host;

import java.util.List;
import java.util.Map;

/**
 * A filter's outbound call. Header names are lower case; pseudo-headers {@code :method}, {@code :path} and
 * {@code :authority} are present (the host checks). Strings hold one char per byte (ISO-8859-1).
 *
 * @param upstream the upstream (cluster) name
 * @param headers request headers, pseudo-headers included
 * @param body the request body, possibly empty
 * @param trailers request trailers, usually empty
 * @param timeoutMillis the filter's timeout in milliseconds
 */
public record HttpCallRequest(String upstream, List<Map.Entry<String, String>> headers, byte[] body,
        List<Map.Entry<String, String>> trailers, long timeoutMillis) {
}
