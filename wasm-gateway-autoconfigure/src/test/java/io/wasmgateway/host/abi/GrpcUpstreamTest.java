package io.wasmgateway.host.abi;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The upstream argument of proxy_grpc_call: a GrpcService message (written here with protobuf-java), or a name. */
class GrpcUpstreamTest {

    @Test
    void aNameIsAName() {
        GrpcUpstream upstream = GrpcUpstream.parse("limitador".getBytes(StandardCharsets.UTF_8));
        assertThat(upstream.cluster()).isEqualTo("limitador");
        assertThat(upstream.timeoutMillis()).isZero();
        assertThat(upstream.initialMetadata()).isEmpty();
    }

    @Test
    void envoyGrpcGivesTheClusterNameTimeoutAndMetadata() throws IOException {
        byte[] service = message(out -> {
            out.writeByteArray(1, message(o -> {
                o.writeString(1, "ratelimit");
                o.writeString(2, "ignored.authority");
            }));
            out.writeByteArray(3, message(o -> o.writeInt64(1, 2)));
            out.writeByteArray(5, message(o -> {
                o.writeString(1, "x-a");
                o.writeString(2, "1");
            }));
            out.writeByteArray(5, message(o -> {
                o.writeString(1, "x-b-bin");
                o.writeByteArray(3, new byte[] {1, 2, 3});
            }));
        });

        GrpcUpstream upstream = GrpcUpstream.parse(service);

        assertThat(upstream.cluster()).isEqualTo("ratelimit");
        assertThat(upstream.timeoutMillis()).isEqualTo(2000);
        assertThat(upstream.initialMetadata()).containsExactly(Map.entry("x-a", "1"), Map.entry("x-b-bin", "AQID"));
    }

    @Test
    void googleGrpcGivesItsTarget() throws IOException {
        byte[] service = message(out -> out.writeByteArray(2, message(o -> o.writeString(1, "10.0.0.1:81"))));
        assertThat(GrpcUpstream.parse(service).cluster()).isEqualTo("10.0.0.1:81");
    }

    @Test
    void aMessageWithoutATargetOrAMalformedOneIsTakenAsAName() throws IOException {
        byte[] noTarget = message(out -> out.writeByteArray(3, message(o -> o.writeInt64(1, 2))));
        assertThat(GrpcUpstream.parse(noTarget).cluster())
            .isEqualTo(new String(noTarget, StandardCharsets.UTF_8));
        byte[] truncated = {0x0A, 0x10, 'a'};
        assertThat(GrpcUpstream.parse(truncated).cluster()).isEqualTo("\n\u0010a");
        assertThat(GrpcUpstream.parse(new byte[0]).cluster()).isEmpty();
    }

    interface Fields {
        void write(CodedOutputStream out) throws IOException;
    }

    static byte[] message(Fields fields) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        fields.write(out);
        out.flush();
        return bytes.toByteArray();
    }
}
