package io.wasmgateway.gateway.extism;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.extism.sdk.chicory.http.ExtismHttpException;
import org.extism.sdk.chicory.http.HttpJsonCodec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Extism's HTTP request JSON ({@code {"url", "method", "headers"}}), read with the gateway's Jackson. */
final class ExtismHttpJson implements HttpJsonCodec {

    @Override
    public RequestMetadata decodeMetadata(byte[] data) {
        JsonNode request;
        try {
            request = JsonMapper.shared().readTree(data);
        }
        catch (JacksonException ex) {
            throw new ExtismHttpException("the plugin's HTTP request is not JSON: " + ex.getOriginalMessage());
        }
        if (!request.isObject() || !request.path("url").isString()) {
            throw new ExtismHttpException("the plugin's HTTP request has no \"url\"");
        }
        URI uri;
        try {
            uri = URI.create(request.get("url").asString());
        }
        catch (IllegalArgumentException ex) {
            throw new ExtismHttpException("the plugin's HTTP request has an invalid \"url\": " + ex.getMessage());
        }
        String method = request.path("method").isString() ? request.get("method").asString() : "GET";
        Map<String, String> headers = new LinkedHashMap<>();
        request.path("headers").properties().forEach(h -> headers.put(h.getKey(), h.getValue().asString()));
        return new Metadata(method, uri, headers);
    }

    @Override
    public byte[] encodeHeaders(Map<String, List<String>> headers) {
        Map<String, String> joined = new LinkedHashMap<>();
        headers.forEach((name, values) -> joined.put(name, String.join(", ", values)));
        return JsonMapper.shared().writeValueAsBytes(joined);
    }

    private record Metadata(String method, URI uri, Map<String, String> headers) implements RequestMetadata {
    }
}
