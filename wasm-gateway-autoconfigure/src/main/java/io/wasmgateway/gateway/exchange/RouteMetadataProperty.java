package io.wasmgateway.gateway.exchange;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.wasmgateway.host.PropertyEncoding;

/**
 * The {@code route_metadata} property: the route's {@code metadata}, walked one path segment per nested map, as
 * Envoy walks its route's metadata (the Go SDK's properties example reads
 * {@code route_metadata\0filter_metadata\0envoy.filters.http.wasm\0auth}). A segment holding dots matches a key
 * with those dots (YAML {@code "[envoy.filters.http.wasm]"} or a Java route), or else the nested maps that Spring's
 * binding makes of an unbracketed dotted key. Values are encoded as Envoy encodes them: strings raw, whole numbers
 * 8 bytes little-endian, other numbers as 8-byte doubles, booleans one byte, maps and lists in the pair
 * serialization (lists with empty values).
 */
final class RouteMetadataProperty {

    private RouteMetadataProperty() {
    }

    /** The value under the segments, or null when there is none. */
    static byte[] read(Map<String, Object> metadata, List<String> segments) {
        Object value = metadata;
        for (String segment : segments) {
            value = child(value, segment);
            if (value == null) {
                return null;
            }
        }
        return encode(value);
    }

    private static Object child(Object parent, String segment) {
        if (parent instanceof Map<?, ?> map) {
            Object exact = map.get(segment);
            if (exact != null || segment.indexOf('.') < 0) {
                return exact;
            }
            Object nested = map;
            for (String part : segment.split("\\.", -1)) {
                nested = nested instanceof Map<?, ?> inner ? inner.get(part) : null;
            }
            return nested;
        }
        if (parent instanceof List<?> list) {
            try {
                int index = Integer.parseInt(segment);
                return index >= 0 && index < list.size() ? list.get(index) : null;
            }
            catch (NumberFormatException ex) {
                return null;
            }
        }
        return null;
    }

    private static byte[] encode(Object value) {
        if (value instanceof Boolean bool) {
            return PropertyEncoding.bool(bool);
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return PropertyEncoding.int64(((Number) value).longValue());
        }
        if (value instanceof Number number) {
            return PropertyEncoding.int64(Double.doubleToRawLongBits(number.doubleValue()));
        }
        if (value instanceof Map<?, ?> map) {
            List<Map.Entry<String, String>> pairs = new ArrayList<>(map.size());
            map.forEach((key, item) -> pairs.add(Map.entry(String.valueOf(key), text(encode(item)))));
            return PropertyEncoding.map(pairs);
        }
        if (value instanceof List<?> list) {
            List<Map.Entry<String, String>> pairs = new ArrayList<>(list.size());
            list.forEach(item -> pairs.add(Map.entry(text(encode(item)), "")));
            return PropertyEncoding.map(pairs);
        }
        return PropertyEncoding.string(String.valueOf(value));
    }

    // the pair serialization carries one char per byte
    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
