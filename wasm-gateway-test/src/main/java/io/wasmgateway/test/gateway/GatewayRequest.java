package io.wasmgateway.test.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A request to send through the gateway: headers, a body, then {@link #send()}. */
public final class GatewayRequest {

    private final WasmGatewayExtension gateway;

    private final String method;

    private final HttpRequest.Builder request;

    private byte[] body;

    GatewayRequest(WasmGatewayExtension gateway, String method, String path) {
        this.gateway = gateway;
        this.method = method;
        this.request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
            .version(java.net.http.HttpClient.Version.HTTP_1_1)
            .timeout(Duration.ofSeconds(30));
    }

    /** Adds a request header (the JDK's client refuses a few: host, connection, content-length, ...). */
    public GatewayRequest header(String name, String value) {
        request.header(name, value);
        return this;
    }

    /** The request body, UTF-8. */
    public GatewayRequest body(String body) {
        return body(body.getBytes(StandardCharsets.UTF_8));
    }

    public GatewayRequest body(byte[] body) {
        this.body = body.clone();
        return this;
    }

    /** Sends the request and waits for the whole response; the upstream's journal is cleared first. */
    public GatewayExchange send() {
        gateway.upstream().resetRequests();
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body);
        try {
            HttpResponse<byte[]> response = gateway.httpClient()
                .send(request.method(method, publisher).build(), HttpResponse.BodyHandlers.ofByteArray());
            return new GatewayExchange(response, gateway.received());
        }
        catch (IOException ex) {
            throw new UncheckedIOException(method + " " + request.build().uri() + " failed", ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
    }
}
