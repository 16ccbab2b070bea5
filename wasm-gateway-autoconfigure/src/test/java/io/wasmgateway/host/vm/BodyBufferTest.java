package io.wasmgateway.host.vm;

import java.nio.charset.StandardCharsets;

import io.wasmgateway.host.abi.AbiBuffer;
import io.wasmgateway.host.abi.Status;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BodyBufferTest {

    private final BodyBuffer body = new BodyBuffer(16);

    @Test
    void aChunkIsReadInPlaceAndUnchangedUntilWritten() {
        body.add(chunk("hello"));

        assertThat(text(body)).isEqualTo("hello");
        assertThat(body.changed()).isFalse();
    }

    @Test
    void setBufferBytesReplacesPrependsAndAppends() {
        body.add(chunk("hello"));

        assertThat(body.replace(1, 3, bytes("ipp"))).isEqualTo(Status.OK);
        assertThat(text(body)).isEqualTo("hippo");
        assertThat(body.replace(0, 0, bytes(">"))).isEqualTo(Status.OK);
        assertThat(body.replace(99, 0, bytes("<"))).isEqualTo(Status.OK);
        assertThat(text(body)).isEqualTo(">hippo<");
        assertThat(body.changed()).isTrue();
        assertThat(new String(body.take(), StandardCharsets.UTF_8)).isEqualTo(">hippo<");
        assertThat(body.isEmpty()).isTrue();
    }

    @Test
    void aHeldBodyGrowsWithEachChunkUpToTheLimit() {
        body.add(chunk("0123456789"));
        assertThat(body.hold()).isTrue();

        assertThat(body.add(chunk("abc"))).isTrue();
        assertThat(text(body)).isEqualTo("0123456789abc");
        assertThat(body.add(chunk("defg"))).isFalse();
        assertThat(body.replace(13, 0, bytes("defg"))).isEqualTo(Status.BAD_ARGUMENT);
    }

    @Test
    void anEmptyEndOfStreamFrameCanBeWritten() {
        body.add(AbiBuffer.readOnly(new byte[0]));

        assertThat(body.size()).isZero();
        assertThat(body.bytes(0, 0)).isEmpty();
        assertThat(body.replace(0, 0, bytes("tail"))).isEqualTo(Status.OK);
        assertThat(new String(body.take(), StandardCharsets.UTF_8)).isEqualTo("tail");
    }

    private static AbiBuffer chunk(String text) {
        return AbiBuffer.readOnly(bytes(text));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(BodyBuffer buffer) {
        return new String(buffer.bytes(0, buffer.size()), StandardCharsets.UTF_8);
    }
}
