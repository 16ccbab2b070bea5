package io.wasmgateway.gateway.extism;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The JSON a WasmRewrite or WasmContent export gets as its input (docs/filter-authoring.md, "Extism plugins"):
 * {@code {"method", "path", "query", "headers", "route", "config", "body"}}, with header names in lower case and
 * the values of a repeated header joined by ", ".
 */
final class ExtismEnvelope {

    private ExtismEnvelope() {
    }

    /**
     * @param body the request body when the route asks for it, else null (no "body" field)
     */
    static byte[] of(ServerHttpRequest request, String routeId, String config, byte[] body) {
        ObjectNode envelope = JsonMapper.shared().createObjectNode();
        envelope.put("method", request.getMethod().name());
        envelope.put("path", request.getURI().getRawPath());
        envelope.put("query", request.getURI().getRawQuery());
        ObjectNode headers = envelope.putObject("headers");
        for (Map.Entry<String, List<String>> header : request.getHeaders().headerSet()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            String value = String.join(", ", header.getValue());
            headers.put(name, headers.has(name) ? headers.get(name).asString() + ", " + value : value);
        }
        envelope.put("route", routeId);
        envelope.put("config", config);
        if (body != null) {
            envelope.put("body", new String(body, StandardCharsets.UTF_8));
        }
        return JsonMapper.shared().writeValueAsBytes(envelope);
    }
}
