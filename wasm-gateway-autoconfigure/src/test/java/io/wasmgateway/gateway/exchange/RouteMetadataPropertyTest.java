package io.wasmgateway.gateway.exchange;

import java.util.List;
import java.util.Map;

import io.wasmgateway.host.PropertyEncoding;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RouteMetadataPropertyTest {

    private static final Map<String, Object> bracketed = Map.of("filter_metadata",
            Map.of("envoy.filters.http.wasm", Map.of("auth", "cookie")));

    // spring's binding of an unbracketed YAML key with dots: nested maps, one per dot
    private static final Map<String, Object> nested = Map.of("filter_metadata",
            Map.of("envoy", Map.of("filters", Map.of("http", Map.of("wasm", Map.of("auth", "cookie"))))));

    @Test
    void walksNestedMapsBySegmentAsTheGoSdkPropertiesExampleReadsThem() {
        List<String> path = List.of("filter_metadata", "envoy.filters.http.wasm", "auth");
        assertThat(RouteMetadataProperty.read(bracketed, path)).isEqualTo("cookie".getBytes());
        assertThat(RouteMetadataProperty.read(nested, path)).isEqualTo("cookie".getBytes());
    }

    @Test
    void aMissingKeyIsNull() {
        assertThat(RouteMetadataProperty.read(bracketed, List.of("filter_metadata", "other", "auth"))).isNull();
        assertThat(RouteMetadataProperty.read(bracketed, List.of("filter_metadata", "envoy.filters.http.wasm",
                "auth", "deeper"))).isNull();
    }

    @Test
    void encodesValuesAsEnvoyDoes() {
        Map<String, Object> metadata = Map.of("n", 7, "b", true, "d", 1.5, "list", List.of("a", "b"),
                "map", Map.of("k", "v"));
        assertThat(RouteMetadataProperty.read(metadata, List.of("n"))).isEqualTo(PropertyEncoding.int64(7));
        assertThat(RouteMetadataProperty.read(metadata, List.of("b"))).isEqualTo(new byte[] {1});
        assertThat(RouteMetadataProperty.read(metadata, List.of("d")))
            .isEqualTo(PropertyEncoding.int64(Double.doubleToRawLongBits(1.5)));
        assertThat(RouteMetadataProperty.read(metadata, List.of("list", "1"))).isEqualTo("b".getBytes());
        assertThat(RouteMetadataProperty.read(metadata, List.of("list")))
            .isEqualTo(PropertyEncoding.map(List.of(Map.entry("a", ""), Map.entry("b", ""))));
        assertThat(RouteMetadataProperty.read(metadata, List.of("map")))
            .isEqualTo(PropertyEncoding.map(List.of(Map.entry("k", "v"))));
    }
}
