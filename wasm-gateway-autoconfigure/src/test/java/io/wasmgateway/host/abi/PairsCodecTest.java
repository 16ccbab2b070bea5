package io.wasmgateway.host.abi;

import static org.assertj.core.api.Assertions.assertThat;

import io.wasmgateway.host.HeaderList;
import io.wasmgateway.host.HeaderMap;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PairsCodecTest {

    @Test
    void encodesTheSpecsLayout() {
        byte[] encoded = PairsCodec.encode(List.of(Map.entry("a", "1"), Map.entry("b", "22")));
        assertThat(encoded).containsExactly(
                2, 0, 0, 0,
                1, 0, 0, 0, 1, 0, 0, 0,
                1, 0, 0, 0, 2, 0, 0, 0,
                'a', 0, '1', 0, 'b', 0, '2', '2', 0);
    }

    @Test
    void encodesAnEmptyMapAsAZeroCount() {
        assertThat(PairsCodec.encode(List.of())).containsExactly(0, 0, 0, 0);
        assertThat(PairsCodec.encode(new HeaderList())).containsExactly(0, 0, 0, 0);
        assertThat(PairsCodec.encodedSize(new HeaderList())).isEqualTo(4);
    }

    @Test
    void roundTripsEveryByteValueAndRepeatedNames() {
        StringBuilder all = new StringBuilder();
        for (int b = 1; b < 256; b++) {
            all.append((char) b);
        }
        List<Map.Entry<String, String>> pairs = List.of(Map.entry("set-cookie", "a=1"), Map.entry("set-cookie", "b=2"),
                Map.entry("x-bytes", all.toString()), Map.entry("x-empty", ""), Map.entry("", "no name"));
        PairsCodec.Decoded decoded = PairsCodec.decode(PairsCodec.encode(pairs));
        assertThat(decoded.isOk()).isTrue();
        assertThat(decoded.pairs()).containsExactlyElementsOf(pairs);
    }

    @Test
    void encodesAHeaderMapLikeItsEntries() {
        HeaderList map = new HeaderList();
        map.add(":path", "/x");
        map.add("X-Upper", "v");
        assertThat(PairsCodec.encode(map))
                .containsExactly(PairsCodec.encode(List.of(Map.entry(":path", "/x"), Map.entry("x-upper", "v"))));
        assertThat(PairsCodec.encodedSize(map)).isEqualTo(PairsCodec.encode(map).length);
    }

    @Test
    void keepsTheEncodedSizeThroughEveryChange() {
        HeaderList map = new HeaderList();
        map.add("a", "1");
        map.add("bb", "22");
        map.add("a", "333");
        map.set("bb", "4");
        map.remove("a");
        map.add("c", "");
        assertThat(PairsCodec.encodedSize(map)).isEqualTo(PairsCodec.encode(map).length);
        map.replaceAll(List.of(Map.entry("x", "yz")));
        assertThat(PairsCodec.encodedSize(map)).isEqualTo(PairsCodec.encode(map).length).isEqualTo(4 + 8 + 5);
    }

    @Test
    void acceptsTheSpecsTwoSpellingsOfAnEmptyMap() {
        assertThat(PairsCodec.decode(new byte[0]).pairs()).isEmpty();
        assertThat(PairsCodec.decode(new byte[] {0}).pairs()).isEmpty();
        assertThat(PairsCodec.decode(new byte[] {0, 0, 0, 0}).pairs()).isEmpty();
    }

    @Test
    void refusesTruncatedInput() {
        assertThat(PairsCodec.decode(new byte[] {1, 0}).status()).isEqualTo(Status.SERIALIZATION_FAILURE);
        byte[] full = PairsCodec.encode(List.of(Map.entry("key", "value")));
        for (int length = 4; length < full.length; length++) {
            byte[] truncated = java.util.Arrays.copyOf(full, length);
            assertThat(PairsCodec.decode(truncated).status()).as("length %d", length)
                    .isEqualTo(Status.SERIALIZATION_FAILURE);
        }
    }

    @Test
    void refusesACountLargerThanTheData() {
        byte[] bytes = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(1000).array();
        assertThat(PairsCodec.decode(bytes).status()).isEqualTo(Status.SERIALIZATION_FAILURE);
    }

    @Test
    void refusesHugeLengthsWithoutOverflowing() {
        byte[] bytes = ByteBuffer.allocate(14).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(1).putInt(0xFFFFFFFF).putInt(0).array();
        assertThat(PairsCodec.decode(bytes).status()).isEqualTo(Status.SERIALIZATION_FAILURE);
        byte[] valueOverflow = ByteBuffer.allocate(14).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(1).putInt(0).putInt(0x7FFFFFFF).array();
        assertThat(PairsCodec.decode(valueOverflow).status()).isEqualTo(Status.SERIALIZATION_FAILURE);
    }

    @Test
    void refusesMissingTerminators() {
        byte[] bytes = PairsCodec.encode(List.of(Map.entry("k", "v")));
        bytes[bytes.length - 1] = 'x';
        assertThat(PairsCodec.decode(bytes).status()).isEqualTo(Status.SERIALIZATION_FAILURE);
        byte[] keyUnterminated = PairsCodec.encode(List.of(Map.entry("k", "v")));
        keyUnterminated[13] = 'x';
        assertThat(PairsCodec.decode(keyUnterminated).status()).isEqualTo(Status.SERIALIZATION_FAILURE);
    }

    @Test
    void refusesMoreThanTheLimitsAllow() {
        byte[] tooMany = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(Limits.MAX_MAP_PAIRS + 1).array();
        assertThat(PairsCodec.decode(tooMany).status()).isEqualTo(Status.BAD_ARGUMENT);
        assertThat(PairsCodec.decode(new byte[Limits.MAX_MAP_BYTES + 1]).status()).isEqualTo(Status.BAD_ARGUMENT);
    }
}
