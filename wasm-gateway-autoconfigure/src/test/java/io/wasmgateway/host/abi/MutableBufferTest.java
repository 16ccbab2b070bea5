package io.wasmgateway.host.abi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class MutableBufferTest {

    @Test
    void startZeroSizeZeroPrepends() {
        assertThat(apply("world", 0, 0, "hello ")).isEqualTo("hello world");
    }

    @Test
    void aStartAtOrBeyondTheEndAppends() {
        assertThat(apply("hello", 5, 0, "!")).isEqualTo("hello!");
        assertThat(apply("hello", 0xFFFFFFFFL, 0xFFFFFFFFL, "!")).isEqualTo("hello!");
    }

    @Test
    void otherwiseReplacesTheRange() {
        assertThat(apply("hello world", 6, 5, "there")).isEqualTo("hello there");
        assertThat(apply("hello world", 0, 11, "bye")).isEqualTo("bye");
        assertThat(apply("hello world", 5, 100, "")).isEqualTo("hello");
        assertThat(apply("abc", 1, 0, "X")).isEqualTo("aXbc");
    }

    @Test
    void refusesToGrowBeyondItsLimit() {
        MutableBuffer buffer = new MutableBuffer(bytes("abc"), 4);
        assertThat(buffer.replace(3, 0, bytes("de"))).isEqualTo(Status.BAD_ARGUMENT);
        assertThat(buffer.replace(3, 0, bytes("d"))).isEqualTo(Status.OK);
        assertThat(buffer.content()).isEqualTo(bytes("abcd"));
    }

    private static String apply(String content, long start, long length, String data) {
        MutableBuffer buffer = new MutableBuffer(bytes(content), 1024);
        assertThat(buffer.replace(start, length, bytes(data))).isEqualTo(Status.OK);
        return new String(buffer.content(), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
