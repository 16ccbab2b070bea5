package io.wasmgateway.host.abi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class PropertyPathTest {

    @Test
    void splitsOnNulSeparators() {
        assertThat(PropertyPath.parse(bytes("request\0path"))).containsExactly("request", "path");
    }

    @Test
    void ignoresOneTrailingNul() {
        assertThat(PropertyPath.parse(bytes("plugin_root_id\0"))).containsExactly("plugin_root_id");
        assertThat(PropertyPath.parse(bytes("request\0headers\0"))).containsExactly("request", "headers");
    }

    @Test
    void keepsDotsInsideNulSeparatedSegments() {
        assertThat(PropertyPath.parse(bytes("request\0headers\0x.y"))).containsExactly("request", "headers", "x.y");
    }

    @Test
    void splitsOnDotsWhenThereIsNoNul() {
        assertThat(PropertyPath.parse(bytes("request.path"))).containsExactly("request", "path");
        assertThat(PropertyPath.parse(bytes("plugin_name"))).containsExactly("plugin_name");
    }

    @Test
    void anEmptyPathHasNoSegments() {
        assertThat(PropertyPath.parse(new byte[0])).isEmpty();
    }

    @Test
    void segmentsDecodeAsTheWholePathWould() {
        assertThat(PropertyPath.parse(bytes("métadonnée\0clé.ü"))).containsExactly("métadonnée", "clé.ü");
        // a lone UTF-8 lead byte before a separator becomes U+FFFD, the separator stays one
        byte[] broken = { 'a', (byte) 0xC3, '.', 'b' };
        assertThat(PropertyPath.parse(broken))
            .containsExactlyElementsOf(java.util.List.of(new String(broken, StandardCharsets.UTF_8).split("\\.")));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
