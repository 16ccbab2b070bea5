package io.wasmgateway.host.vm;

import static io.wasmgateway.host.vm.Probe.OUTSIDE;
import static io.wasmgateway.host.vm.Probe.SLOT_PTR;
import static io.wasmgateway.host.vm.Probe.SLOT_SIZE;
import static org.assertj.core.api.Assertions.assertThat;

import io.wasmgateway.host.abi.Status;

import java.util.HexFormat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * proxy_call_foreign_function with Envoy's built-in compress and uncompress (source/extensions/common/wasm/
 * foreign.cc), as the Go SDK's foreign_call_on_tick example calls it, and its edge cases as cpp-host answers them.
 */
class ForeignFunctionsTest {

    private final Probe probe = new Probe();

    @AfterEach
    void close() {
        probe.close();
    }

    @Test
    void compressReturnsTheZlibStreamOfZlibsCompress() {
        int name = probe.put("compress");
        int data = probe.put("hello world!");

        assertThat(probe.inRoot("proxy_call_foreign_function", name, 8, data, 12, SLOT_PTR, SLOT_SIZE))
                .isEqualTo(Status.OK);
        // python3 -c "import zlib; print(zlib.compress(b'hello world!').hex())"
        assertThat(HexFormat.of().formatHex(probe.returned())).isEqualTo("789ccb48cdc9c95728cf2fca495104001e89047e");
    }

    @Test
    void uncompressInflatesWhatCompressMade() {
        int name = probe.put("uncompress");
        int data = probe.put(HexFormat.of().parseHex("789ccb48cdc9c95728cf2fca495104001e89047e"));

        assertThat(probe.inStream("proxy_call_foreign_function", name, 10, data, 20, SLOT_PTR, SLOT_SIZE))
                .isEqualTo(Status.OK);
        assertThat(probe.returnedText()).isEqualTo("hello world!");
    }

    @Test
    void uncompressOfBytesThatAreNoZlibStreamIsASerializationFailure() {
        int name = probe.put("uncompress");
        int data = probe.put("not zlib");

        assertThat(probe.inStream("proxy_call_foreign_function", name, 10, data, 8, SLOT_PTR, SLOT_SIZE))
                .isEqualTo(Status.SERIALIZATION_FAILURE);
        // a truncated stream too
        int truncated = probe.put(HexFormat.of().parseHex("789ccb48cdc9"));
        assertThat(probe.inStream("proxy_call_foreign_function", name, 10, truncated, 6, SLOT_PTR, SLOT_SIZE))
                .isEqualTo(Status.SERIALIZATION_FAILURE);
    }

    @Test
    void anEmptyResultIsPointerZeroAndSizeZeroWithoutAnAllocation() {
        int name = probe.put("uncompress");
        int empty = probe.put(HexFormat.of().parseHex("789c030000000001")); // zlib.compress(b"")
        probe.setU32(SLOT_PTR, 77);
        probe.setU32(SLOT_SIZE, 77);
        int heap = probe.heapTop();

        assertThat(probe.inStream("proxy_call_foreign_function", name, 10, empty, 8, SLOT_PTR, SLOT_SIZE))
                .isEqualTo(Status.OK);
        assertThat(probe.u32(SLOT_PTR)).isZero();
        assertThat(probe.u32(SLOT_SIZE)).isZero();
        assertThat(probe.heapTop()).isEqualTo(heap);
    }

    @Test
    void anUnknownFunctionIsNotFound() {
        int name = probe.put("reverse");
        int data = probe.put("abc");

        assertThat(probe.inStream("proxy_call_foreign_function", name, 7, data, 3, SLOT_PTR, SLOT_SIZE))
                .isEqualTo(Status.NOT_FOUND);
        assertThat(probe.inStream("proxy_call_foreign_function", name, 0, data, 3, SLOT_PTR, SLOT_SIZE))
                .isEqualTo(Status.NOT_FOUND);
    }

    @Test
    void badPointersAreInvalidMemoryAccess() {
        int name = probe.put("compress");
        int data = probe.put("abc");

        assertThat(probe.inStream("proxy_call_foreign_function", OUTSIDE, 8, data, 3, SLOT_PTR, SLOT_SIZE))
                .isEqualTo(Status.INVALID_MEMORY_ACCESS);
        assertThat(probe.inStream("proxy_call_foreign_function", name, 8, OUTSIDE, 3, SLOT_PTR, SLOT_SIZE))
                .isEqualTo(Status.INVALID_MEMORY_ACCESS);
        assertThat(probe.inStream("proxy_call_foreign_function", name, 8, data, 3, OUTSIDE, SLOT_SIZE))
                .isEqualTo(Status.INVALID_MEMORY_ACCESS);
    }
}
