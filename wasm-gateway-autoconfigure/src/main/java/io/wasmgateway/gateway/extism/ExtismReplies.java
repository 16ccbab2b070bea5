package io.wasmgateway.gateway.extism;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the JSON a plugin's export answers (docs/filter-authoring.md, "Extism plugins"), strictly: an unknown
 * field, a wrong type, a status out of range or a header that HTTP cannot carry is an {@link InvalidReplyException}
 * saying so, for the gateway's log.
 */
final class ExtismReplies {

    private static final Set<String> REWRITE_FIELDS = Set.of("headers", "removeHeaders", "path", "query", "response");

    private static final Set<String> RESPONSE_FIELDS = Set.of("status", "headers", "body");

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private ExtismReplies() {
    }

    /** A response the plugin gives: status, headers (name to value), body. */
    record Response(int status, Map<String, String> headers, byte[] body) {
    }

    /**
     * What a WasmRewrite export asks for: headers to set and to remove on the request, a new path and query (null:
     * unchanged), or a response instead of the upstream's.
     */
    record Rewrite(Map<String, String> setHeaders, List<String> removeHeaders, String path, String query,
            Response response) {
    }

    static Rewrite rewrite(byte[] output) {
        if (output.length == 0) {
            return new Rewrite(Map.of(), List.of(), null, null, null); // nothing to change
        }
        JsonNode root = object(parse(output), "the reply");
        fieldsOf(root, REWRITE_FIELDS, "the reply");
        Response response = root.has("response") ? response(object(root.get("response"), "\"response\""),
                "\"response\".") : null;
        String path = text(root, "path", null);
        if (path != null && (!path.startsWith("/") || !validUriPart(path))) {
            throw new InvalidReplyException("\"path\" must start with / and hold no spaces or control characters, was "
                    + quoted(path));
        }
        String query = text(root, "query", null);
        if (query != null && !validUriPart(query)) {
            throw new InvalidReplyException("\"query\" holds spaces or control characters: " + quoted(query));
        }
        List<String> remove = new ArrayList<>();
        if (root.has("removeHeaders")) {
            JsonNode names = root.get("removeHeaders");
            if (!names.isArray()) {
                throw new InvalidReplyException("\"removeHeaders\" must be an array of header names");
            }
            for (JsonNode name : names) {
                if (!name.isString() || !TOKEN.matcher(name.asString()).matches()) {
                    throw new InvalidReplyException("\"removeHeaders\" holds " + name + ", not a header name");
                }
                remove.add(name.asString());
            }
        }
        return new Rewrite(headers(root, ""), remove, path, query, response);
    }

    static Response content(byte[] output) {
        if (output.length == 0) {
            throw new InvalidReplyException("the reply is empty (a WasmContent export answers the whole response)");
        }
        JsonNode root = object(parse(output), "the reply");
        return response(root, "");
    }

    private static Response response(JsonNode node, String where) {
        fieldsOf(node, RESPONSE_FIELDS, where.isEmpty() ? "the reply" : where.substring(0, where.length() - 1));
        int status = 200;
        if (node.has("status")) {
            JsonNode value = node.get("status");
            if (!value.isIntegralNumber() || value.asLong() < 200 || value.asLong() > 599) {
                throw new InvalidReplyException(where + "\"status\" must be a number from 200 to 599, was " + value);
            }
            status = value.asInt();
        }
        String body = text(node, "body", where);
        return new Response(status, headers(node, where),
                body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode parse(byte[] output) {
        try {
            return JsonMapper.shared().readTree(output);
        }
        catch (JacksonException ex) {
            throw new InvalidReplyException("the reply is not JSON (" + ex.getOriginalMessage() + "): "
                    + quoted(new String(output, 0, Math.min(output.length, 80), StandardCharsets.UTF_8)));
        }
    }

    private static JsonNode object(JsonNode node, String what) {
        if (node == null || !node.isObject()) {
            throw new InvalidReplyException(what + " must be a JSON object");
        }
        return node;
    }

    private static void fieldsOf(JsonNode node, Set<String> allowed, String what) {
        for (String name : node.propertyNames()) {
            if (!allowed.contains(name)) {
                throw new InvalidReplyException(what + " has an unknown field \"" + name + "\" (known: "
                        + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            }
        }
    }

    private static String text(JsonNode node, String field, String where) {
        if (!node.has(field) || node.get(field).isNull()) {
            return null;
        }
        if (!node.get(field).isString()) {
            throw new InvalidReplyException((where == null ? "" : where) + "\"" + field + "\" must be a string");
        }
        return node.get(field).asString();
    }

    private static Map<String, String> headers(JsonNode node, String where) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (!node.has("headers")) {
            return headers;
        }
        JsonNode all = node.get("headers");
        if (!all.isObject()) {
            throw new InvalidReplyException(where + "\"headers\" must be an object of header names to strings");
        }
        for (Map.Entry<String, JsonNode> header : all.properties()) {
            String name = header.getKey();
            if (!TOKEN.matcher(name).matches()) {
                throw new InvalidReplyException(where + "\"headers\" has " + quoted(name) + ", not a header name");
            }
            if (!header.getValue().isString() || !validHeaderValue(header.getValue().asString())) {
                throw new InvalidReplyException(where + "\"headers\"." + name
                        + " must be a string without control characters");
            }
            headers.put(name, header.getValue().asString());
        }
        return headers;
    }

    private static boolean validHeaderValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static boolean validUriPart(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static String quoted(String value) {
        return "'" + value.replaceAll("\\p{Cntrl}", "?") + "'";
    }
}
