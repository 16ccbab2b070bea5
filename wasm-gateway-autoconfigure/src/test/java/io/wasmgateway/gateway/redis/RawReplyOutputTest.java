package io.wasmgateway.gateway.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Lettuce's decoded RESP2 reply written back as the bytes Redis sent. */
class RawReplyOutputTest {

    @Test
    void writesEachReplyTypeBackAsRedisSentIt() {
        assertThat(reply(out -> out.setSingle(bytes("OK")))).isEqualTo("+OK\r\n");
        assertThat(reply(out -> out.set(42L))).isEqualTo(":42\r\n");
        assertThat(reply(out -> out.set(-1L))).isEqualTo(":-1\r\n");
        assertThat(reply(out -> out.set(bytes("a\r\nb")))).isEqualTo("$4\r\na\r\nb\r\n");
        assertThat(reply(out -> out.set((ByteBuffer) null))).isEqualTo("$-1\r\n");
        assertThat(reply(out -> out.setError(bytes("ERR wrong")))).isEqualTo("-ERR wrong\r\n");
    }

    @Test
    void writesNestedArrays() {
        assertThat(reply(out -> {
            out.multi(2);
            out.set(7L);
            out.multi(2);
            out.set(bytes("x"));
            out.set((ByteBuffer) null);
        })).isEqualTo("*2\r\n:7\r\n*2\r\n$1\r\nx\r\n$-1\r\n");
    }

    @Test
    void anErrorReplyIsAReplyNotAFailedCommand() {
        RawReplyOutput output = new RawReplyOutput(1024);
        output.setError(bytes("WRONGTYPE no"));
        assertThat(output.hasError()).isFalse();
    }

    @Test
    void aReplyBeyondTheLimitIsMarkedTooLarge() {
        RawReplyOutput output = new RawReplyOutput(10);
        output.set(bytes("0123456789"));
        assertThat(output.isTooLarge()).isTrue();
        assertThat(output.get()).hasSizeLessThanOrEqualTo(10);
    }

    private static String reply(java.util.function.Consumer<RawReplyOutput> decode) {
        RawReplyOutput output = new RawReplyOutput(1024);
        decode.accept(output);
        return new String(output.get(), StandardCharsets.ISO_8859_1);
    }

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
