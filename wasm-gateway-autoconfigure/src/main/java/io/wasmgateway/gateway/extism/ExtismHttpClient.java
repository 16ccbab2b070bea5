package io.wasmgateway.gateway.extism;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.extism.sdk.chicory.http.ExtismHttpException;
import org.extism.sdk.chicory.http.HttpClientAdapter;

/**
 * A plugin's own HTTP requests (Extism's http_request), for a module with {@code extism.allowed-hosts}; Extism
 * checks the host against them before it calls this. Each request blocks the calling thread (as Extism's
 * host function requires), so such a module's calls run off the event loops; it is bounded by
 * {@code extism.http-timeout} and its response by {@code max-buffered-body}. One per instance: it remembers the
 * last response's status and headers for http_status_code and http_headers.
 */
final class ExtismHttpClient implements HttpClientAdapter {

    private final HttpClient client;

    private final Duration timeout;

    private final int maxBytes;

    private int status;

    private Map<String, List<String>> headers = Map.of();

    ExtismHttpClient(HttpClient client, Duration timeout, int maxBytes) {
        this.client = client;
        this.timeout = timeout;
        this.maxBytes = maxBytes;
    }

    @Override
    public byte[] request(String method, URI uri, Map<String, String> requestHeaders, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
            .method(method, body == null || body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
        if (requestHeaders != null) {
            requestHeaders.forEach(request::header);
        }
        try {
            HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                byte[] bytes = in.readNBytes(maxBytes + 1);
                if (bytes.length > maxBytes) {
                    throw new ExtismHttpException("the response of " + uri + " is larger than max-buffered-body ("
                            + maxBytes + " bytes)");
                }
                status = response.statusCode();
                headers = response.headers().map();
                return bytes;
            }
        }
        catch (IOException | IllegalArgumentException ex) {
            throw new ExtismHttpException("HTTP request to " + uri + " failed: " + ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt(); // the call's budget ran out: the guest call ends as interrupted
            throw new ExtismHttpException("HTTP request to " + uri + " was interrupted");
        }
    }

    @Override
    public int statusCode() {
        return status;
    }

    @Override
    public Map<String, List<String>> headers() {
        return headers;
    }
}
