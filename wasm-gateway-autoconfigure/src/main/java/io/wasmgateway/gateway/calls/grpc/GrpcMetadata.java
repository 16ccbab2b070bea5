package io.wasmgateway.gateway.calls.grpc;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.grpc.Metadata;

/** Metadata between the filter's pairs and grpc-java: values of {@code -bin} keys are base64, as on the wire. */
final class GrpcMetadata {

    private GrpcMetadata() {
    }

    static Metadata of(List<Map.Entry<String, String>> pairs) {
        Metadata metadata = new Metadata();
        for (Map.Entry<String, String> pair : pairs) {
            String key = pair.getKey();
            if (key.startsWith(":")) {
                continue; // pseudo-headers are the transport's
            }
            if (key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
                metadata.put(Metadata.Key.of(key, Metadata.BINARY_BYTE_MARSHALLER),
                        Base64.getDecoder().decode(pair.getValue()));
            }
            else {
                metadata.put(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER), pair.getValue());
            }
        }
        return metadata;
    }

    static List<Map.Entry<String, String>> pairs(Metadata metadata) {
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        for (String key : metadata.keys()) {
            if (key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
                for (byte[] value : metadata.getAll(Metadata.Key.of(key, Metadata.BINARY_BYTE_MARSHALLER))) {
                    pairs.add(Map.entry(key, Base64.getEncoder().withoutPadding().encodeToString(value)));
                }
            }
            else {
                for (String value : metadata.getAll(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER))) {
                    pairs.add(Map.entry(key, value));
                }
            }
        }
        return pairs;
    }
}
