package io.wasmgateway.host.vm;

import static io.wasmgateway.host.vm.Probe.OUTSIDE;
import static io.wasmgateway.host.vm.Probe.SLOT_PTR;
import static io.wasmgateway.host.vm.Probe.SLOT_SIZE;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;

import io.wasmgateway.host.Decision;
import io.wasmgateway.host.HeaderList;
import io.wasmgateway.host.HeaderMap;
import io.wasmgateway.host.HostServices;
import io.wasmgateway.host.HttpCallDispatcher;
import io.wasmgateway.host.HttpCallRequest;
import io.wasmgateway.host.HttpCallResponse;
import io.wasmgateway.host.LocalResponse;
import io.wasmgateway.host.LogCapture;
import io.wasmgateway.host.PropertyEncoding;
import io.wasmgateway.host.abi.Limits;
import io.wasmgateway.host.abi.PairsCodec;
import io.wasmgateway.host.abi.Status;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Each implemented host function's success and error statuses, bad pointers included (host_probe.wat). */
class HostFunctionsTest {

    private final Probe probe = new Probe();

    @AfterEach
    void close() {
        probe.close();
    }

    @Nested
    class Logging {

        @Test
        void logsAtEveryLevelOnTheModulesLogger() {
            int message = probe.put("hello from wasm");
            try (LogCapture log = new LogCapture("wasm.host_probe", Level.TRACE)) {
                for (int level = 0; level <= 5; level++) {
                    assertThat(probe.inStream("proxy_log", level, message, 15)).isEqualTo(Status.OK);
                }
                assertThat(log.lines()).containsExactly("TRACE hello from wasm", "DEBUG hello from wasm",
                        "INFO hello from wasm", "WARN hello from wasm", "ERROR hello from wasm",
                        "ERROR hello from wasm");
            }
        }

        @Test
        void worksOutsideAnyContext() {
            assertThat(probe.outsideContexts("proxy_log", 2, probe.put("x"), 1)).isEqualTo(Status.OK);
        }

        @Test
        void refusesAnUnknownLevel() {
            assertThat(probe.inStream("proxy_log", 6, probe.put("x"), 1)).isEqualTo(Status.BAD_ARGUMENT);
            assertThat(probe.inStream("proxy_log", -1, probe.put("x"), 1)).isEqualTo(Status.BAD_ARGUMENT);
        }

        @Test
        void checksTheMessageRange() {
            assertThat(probe.inStream("proxy_log", 2, OUTSIDE, 4)).isEqualTo(Status.INVALID_MEMORY_ACCESS);
            assertThat(probe.inStream("proxy_log", 2, 1024, 0x7FFFFFFF)).isEqualTo(Status.INVALID_MEMORY_ACCESS);
            assertThat(probe.inStream("proxy_log", 2, 131071, 2)).isEqualTo(Status.INVALID_MEMORY_ACCESS);
            assertThat(probe.inStream("proxy_log", 2, 131071, 1)).isEqualTo(Status.OK);
        }

        @Test
        void reportsTheLoggersLevel() {
            try (LogCapture log = new LogCapture("wasm.host_probe", Level.WARN)) {
                assertThat(probe.inStream("proxy_get_log_level", 2000)).isEqualTo(Status.OK);
                assertThat(probe.u32(2000)).isEqualTo(3);
            }
            try (LogCapture log = new LogCapture("wasm.host_probe", Level.DEBUG)) {
                probe.inStream("proxy_get_log_level", 2000);
                assertThat(probe.u32(2000)).isEqualTo(1);
            }
            assertThat(probe.inStream("proxy_get_log_level", OUTSIDE)).isEqualTo(Status.INVALID_MEMORY_ACCESS);
        }
    }

    @Nested
    class Clock {

        @Test
        void writesNanosecondsSinceTheEpochAsU64() {
            long before = System.currentTimeMillis() * 1_000_000L;
            assertThat(probe.inStream("proxy_get_current_time_nanoseconds", 2000)).isEqualTo(Status.OK);
            long after = (System.currentTimeMillis() + 1) * 1_000_000L;
            assertThat(probe.u64(2000)).isBetween(before, after);
        }

        @Test
        void checksTheReturnAddress() {
            assertThat(probe.inStream("proxy_get_current_time_nanoseconds", 131068))
                    .isEqualTo(Status.INVALID_MEMORY_ACCESS); // only 4 of the 8 bytes exist
        }
    }

    @Nested
    class Buffers {

        @Test
        void offersTheVmAndPluginConfigurationsInTheRootContext() {
            assertThat(probe.inRoot("proxy_get_buffer_status", 6, 2000, 2004)).isEqualTo(Status.OK);
            assertThat(probe.u32(2000)).isEqualTo(9);
            assertThat(probe.inRoot("proxy_get_buffer_bytes", 6, 0, 100, SLOT_PTR, SLOT_SIZE)).isEqualTo(Status.OK);
            assertThat(probe.returnedText()).isEqualTo("vm-config");
            assertThat(probe.inRoot("proxy_get_buffer_bytes", 7, 0, 100, SLOT_PTR, SLOT_SIZE)).isEqualTo(Status.OK);
            assertThat(probe.returnedText()).isEqualTo("plugin-config");
        }

        @Test
        void slicesWithStartAndMaxSize() {
            assertThat(probe.inRoot("proxy_get_buffer_bytes", 7, 7, 3, SLOT_PTR, SLOT_SIZE)).isEqualTo(Status.OK);
            assertThat(probe.returnedText()).isEqualTo("con");
            assertThat(probe.inRoot("proxy_get_buffer_bytes", 7, 13, 10, SLOT_PTR, SLOT_SIZE)).isEqualTo(Status.OK);
            assertThat(probe.returned()).isEmpty();
            assertThat(probe.inRoot("proxy_get_buffer_bytes", 7, 14, 1, SLOT_PTR, SLOT_SIZE))
                    .isEqualTo(Status.BAD_ARGUMENT);
        }

        @Test
        void returnsPointerZeroAndSizeZeroForZeroBytesWithoutCallingTheAllocator() {
            // proxy-wasm-cpp-host's copyToPointerSize allocates only above zero bytes; the Go SDK's allocator
            // panics on proxy_on_memory_allocate(0)
            probe.setU32(SLOT_PTR, 99);
            probe.setU32(SLOT_SIZE, 77);
            int heap = probe.heapTop();
            assertThat(probe.inRoot("proxy_get_buffer_bytes", 7, 0, 0, SLOT_PTR, SLOT_SIZE)).isEqualTo(Status.OK);
            assertThat(probe.u32(SLOT_PTR)).isZero();
            assertThat(probe.u32(SLOT_SIZE)).isZero();
            assertThat(probe.heapTop()).isEqualTo(heap);
        }

        @Test
        void offersOnlyTheVmConfigurationToHttpContexts() {
            assertThat(probe.inStream("proxy_get_buffer_status", 6, 2000, 2004)).isEqualTo(Status.OK);
            assertThat(probe.inStream("proxy_get_buffer_status", 7, 2000, 2004)).isEqualTo(Status.NOT_FOUND);
        }

        @Test
        void bodiesBeforeTheirFirstCallbackAreEmptyNotMissing() {
            // Envoy's Context::getBuffer answers buffer_.set(request_body_buffer_) with no body yet: a buffer of
            // size 0 (the Go SDK's GetHttpRequestBody in a header callback gets no bytes, not an error)
            probe.setU32(2000, 99);
            for (int body : new int[] {0, 1}) {
                assertThat(probe.inStream("proxy_get_buffer_status", body, 2000, 2004)).isEqualTo(Status.OK);
                assertThat(probe.u32(2000)).isZero();
                assertThat(probe.inStream("proxy_get_buffer_bytes", body, 0, 10, SLOT_PTR, SLOT_SIZE))
                        .isEqualTo(Status.OK);
                assertThat(probe.u32(SLOT_SIZE)).isZero();
            }
            assertThat(probe.inRoot("proxy_get_buffer_status", 0, 2000, 2004)).isEqualTo(Status.NOT_FOUND);
        }

        @Test
        void answersNotFoundForBuffersThatDoNotExistAndBadArgumentForUnknownOnes() {
            assertThat(probe.inStream("proxy_get_buffer_status", 2, 2000, 2004)).isEqualTo(Status.NOT_FOUND);
            assertThat(probe.inStream("proxy_get_buffer_bytes", 4, 0, 10, SLOT_PTR, SLOT_SIZE))
                    .isEqualTo(Status.NOT_FOUND);
            assertThat(probe.inStream("proxy_get_buffer_status", 10, 2000, 2004)).isEqualTo(Status.BAD_ARGUMENT);
            assertThat(probe.outsideContexts("proxy_get_buffer_status", 6, 2000, 2004)).isEqualTo(Status.NOT_FOUND);
        }

        @Test
        void checksReturnAddresses() {
            assertThat(probe.inRoot("proxy_get_buffer_status", 6, OUTSIDE, 2004))
                    .isEqualTo(Status.INVALID_MEMORY_ACCESS);
            assertThat(probe.inRoot("proxy_get_buffer_bytes", 6, 0, 10, OUTSIDE, SLOT_SIZE))
                    .isEqualTo(Status.INVALID_MEMORY_ACCESS);
            assertThat(probe.inRoot("proxy_get_buffer_bytes", 6, 0, 10, SLOT_PTR, 131070))
                    .isEqualTo(Status.INVALID_MEMORY_ACCESS);
        }

        @Test
        void configurationsAndBodiesNotSeenYetAreReadOnly() {
            // Envoy: immutable buffers (cpp-host's BufferBase::copyFrom, Envoy's const buffer) are BAD_ARGUMENT
            int data = probe.put("x");
            assertThat(probe.inRoot("proxy_set_buffer_bytes", 7, 0, 0, data, 1)).isEqualTo(Status.BAD_ARGUMENT);
            assertThat(probe.inStream("proxy_set_buffer_bytes", 6, 0, 0, data, 1)).isEqualTo(Status.BAD_ARGUMENT);
            assertThat(probe.inStream("proxy_set_buffer_bytes", 0, 0, 0, data, 1)).isEqualTo(Status.BAD_ARGUMENT);
            assertThat(probe.inRoot("proxy_set_buffer_bytes", 0, 0, 0, data, 1)).isEqualTo(Status.NOT_FOUND);
            assertThat(probe.inStream("proxy_set_buffer_bytes", 12, 0, 0, data, 1)).isEqualTo(Status.BAD_ARGUMENT);
            assertThat(probe.inRoot("proxy_set_buffer_bytes", 7, 0, 0, OUTSIDE, 1))
                    .isEqualTo(Status.INVALID_MEMORY_ACCESS);
        }

        @Test
        void getConfigurationOf010AnswersThePluginConfiguration() {
            assertThat(probe.inRoot("proxy_get_configuration", SLOT_PTR, SLOT_SIZE)).isEqualTo(Status.OK);
            assertThat(probe.returnedText()).isEqualTo("plugin-config");
            assertThat(probe.inStream("proxy_get_configuration", SLOT_PTR, SLOT_SIZE)).isEqualTo(Status.OK);
            assertThat(probe.returnedText()).isEqualTo("plugin-config");
            assertThat(probe.outsideContexts("proxy_get_configuration", SLOT_PTR, SLOT_SIZE))
                    .isEqualTo(Status.NOT_FOUND);
        }
    }

    @Nested
    class HeaderMaps {

        private final HeaderList request = probe.host.requestHeaders();

        @Test
        void getsOneValue() {
            int key = probe.put("X-Present");
            assertThat(probe.inStream("proxy_get_header_map_value", 0, key, 9, SLOT_PTR, SLOT_SIZE))
                    .isEqualTo(Status.OK);
            assertThat(probe.returnedText()).isEqualTo("here");
        }

        @Test
        void aMissingValueIsNotFoundOnAbi02() {
            int key = probe.put("x-absent");
            assertThat(probe.inStream("proxy_get_header_map_value", 0, key, 8, SLOT_PTR, SLOT_SIZE))
                    .isEqualTo(Status.NOT_FOUND);
        }

        @Test
        void addsReplacesAndRemoves() {
            int name = probe.put("x-new");
            int one = probe.put("1");
            int two = probe.put("2");
            assertThat(probe.inStream("proxy_add_header_map_value", 0, name, 5, one, 1)).isEqualTo(Status.OK);
            assertThat(probe.inStream("proxy_add_header_map_value", 0, name, 5, two, 1)).isEqualTo(Status.OK);
            assertThat(request.getAll("x-new")).containsExactly("1", "2");
            assertThat(probe.inStream("proxy_replace_header_map_value", 0, name, 5, one, 1)).isEqualTo(Status.OK);
            assertThat(request.getAll("x-new")).containsExactly("1");
            assertThat(probe.inStream("proxy_remove_header_map_value", 0, name, 5)).isEqualTo(Status.OK);
            assertThat(request.get("x-new")).isNull();
            assertThat(probe.inStream("proxy_remove_header_map_value", 0, name, 5)).isEqualTo(Status.OK);
        }

        @Test
        void keepsEveryByteOfAValue() {
            int name = probe.put("x-bytes");
            byte[] raw = {(byte) 0xE9, 0x7F, (byte) 0xFF, ' ', 'a'};
            int value = probe.put(raw);
            assertThat(probe.inStream("proxy_add_header_map_value", 0, name, 7, value, raw.length))
                    .isEqualTo(Status.OK);
            assertThat(request.get("x-bytes")).isEqualTo(new String(raw, StandardCharsets.ISO_8859_1));
            probe.inStream("proxy_get_header_map_value", 0, name, 7, SLOT_PTR, SLOT_SIZE);
            assertThat(probe.returned()).containsExactly(raw);
        }

        @Test
        void getsAllPairsSerialized() {
            assertThat(probe.inStream("proxy_get_header_map_pairs", 0, SLOT_PTR, SLOT_SIZE)).isEqualTo(Status.OK);
            assertThat(probe.returned()).containsExactly(PairsCodec.encode(request));
            assertThat(probe.inStream("proxy_get_header_map_size", 0, 2000)).isEqualTo(Status.OK);
            assertThat(probe.u32(2000)).as("Envoy's byteSize(): names and values").isEqualTo(request.textLength());
        }

        @Test
        void setsAllPairs() {
            byte[] pairs = PairsCodec.encode(List.of(Map.entry(":path", "/new"), Map.entry("X-A", "b")));
            assertThat(probe.inStream("proxy_set_header_map_pairs", 0, probe.put(pairs), pairs.length))
                    .isEqualTo(Status.OK);
            assertThat(request.toString()).isEqualTo("{:path=/new, x-a=b}");
        }

        @Test
        void refusesMalformedPairsAndLeavesTheMapAlone() {
            byte[] bad = {5, 0, 0, 0, 1, 0};
            assertThat(probe.inStream("proxy_set_header_map_pairs", 0, probe.put(bad), bad.length))
                    .isEqualTo(Status.SERIALIZATION_FAILURE);
            assertThat(request.get("x-present")).isEqualTo("here");
        }

        @Test
        void responseHeadersExistOnlyInTheResponsePhase() {
            // Envoy: a map not available yet is BAD_ARGUMENT for a value, empty for the pairs
            int key = probe.put(":status");
            assertThat(probe.inStream("proxy_get_header_map_value", 2, key, 7, SLOT_PTR, SLOT_SIZE))
                    .isEqualTo(Status.BAD_ARGUMENT);
            assertThat(probe.inStream("proxy_get_header_map_pairs", 2, SLOT_PTR, SLOT_SIZE)).isEqualTo(Status.OK);
            assertThat(probe.u32(SLOT_SIZE)).isZero();
            probe.host.respond(404);
            assertThat(probe.inStream("proxy_get_header_map_value", 2, key, 7, SLOT_PTR, SLOT_SIZE))
                    .isEqualTo(Status.OK);
            assertThat(probe.returnedText()).isEqualTo("404");
        }

        @Test
        void emptyTrailersArePointerZeroAndSizeZero() {
            // cpp-host's getPairs: an empty map goes through copyToPointerSize(""), no allocation
            int heap = probe.heapTop();
            probe.setU32(SLOT_PTR, 99);
            assertThat(probe.inStream("proxy_get_header_map_pairs", 1, SLOT_PTR, SLOT_SIZE)).isEqualTo(Status.OK);
            assertThat(probe.u32(SLOT_PTR)).isZero();
            assertThat(probe.u32(SLOT_SIZE)).isZero();
            assertThat(probe.inStream("proxy_get_header_map_pairs", 3, SLOT_PTR, SLOT_SIZE)).isEqualTo(Status.OK);
            assertThat(probe.u32(SLOT_SIZE)).isZero();
            assertThat(probe.heapTop()).isEqualTo(heap);
        }

        @Test
        void trailersDoNotExistSoChangingThemIsBadArgumentNotASilentlyDroppedOk() {
            // Envoy's Context::getMap: request_trailers_ / response_trailers_ are null for a stream without
            // trailers (every stream here: WebFlux carries none), so add/replace/remove/set/size and a value are
            // BAD_ARGUMENT; getHeaderMapPairs of a null map is empty and OK
            int key = probe.put("grpc-status");
            for (int trailers : new int[] {1, 3}) {
                assertThat(probe.inStream("proxy_add_header_map_value", trailers, key, 11, key, 11))
                        .isEqualTo(Status.BAD_ARGUMENT);
                assertThat(probe.inStream("proxy_replace_header_map_value", trailers, key, 11, key, 11))
                        .isEqualTo(Status.BAD_ARGUMENT);
                assertThat(probe.inStream("proxy_remove_header_map_value", trailers, key, 11))
                        .isEqualTo(Status.BAD_ARGUMENT);
                assertThat(probe.inStream("proxy_set_header_map_pairs", trailers, 0, 0)).isEqualTo(Status.BAD_ARGUMENT);
                assertThat(probe.inStream("proxy_get_header_map_size", trailers, 2000)).isEqualTo(Status.BAD_ARGUMENT);
                assertThat(probe.inStream("proxy_get_header_map_value", trailers, key, 11, SLOT_PTR, SLOT_SIZE))
                        .isEqualTo(Status.BAD_ARGUMENT);
                assertThat(probe.inStream("proxy_get_header_map_pairs", trailers, SLOT_PTR, SLOT_SIZE))
                        .isEqualTo(Status.OK);
                assertThat(probe.u32(SLOT_SIZE)).isZero();
            }
        }

        @Test
        void inOnLogAMapTheRequestNeverHadIsAMissingKeyNotBadArgument() {
            // Envoy's getHeaderMapValue in its access-log phase: a null map answers NOT_FOUND (0.2.x); a request
            // answered without a response from upstream has no response headers, and no stream has trailers
            int key = probe.put("x-a");
            for (int map : new int[] {1, 2, 3}) {
                assertThat(probe.during(GuestCallbacks.ON_LOG, probe.stream, "env.proxy_get_header_map_value", map,
                        key, 3, SLOT_PTR, SLOT_SIZE)).isEqualTo(Status.NOT_FOUND);
            }
            int present = probe.put("x-present");
            assertThat(probe.during(GuestCallbacks.ON_LOG, probe.stream, "env.proxy_get_header_map_value", 0, present,
                    9, SLOT_PTR, SLOT_SIZE)).isEqualTo(Status.OK);
            assertThat(probe.returnedText()).isEqualTo("here");
            // outside proxy_on_log the same call stays BAD_ARGUMENT
            assertThat(probe.inStream("proxy_get_header_map_value", 2, key, 3, SLOT_PTR, SLOT_SIZE))
                    .isEqualTo(Status.BAD_ARGUMENT);
        }

        @Test
        void mapsMissingInThisPhaseReadAsEmptyPairsAndAreBadArgumentOtherwise() {
            // Envoy's Context: getHeaderMapPairs(null map) is empty and OK; value, size and changes are BAD_ARGUMENT
            // (the Rust SDK panics on any status but OK from get_header_map_pairs)
            int key = probe.put("x-a");
            for (int missing : new int[] {4, 5, 6, 7}) {
                assertThat(probe.inStream("proxy_get_header_map_pairs", missing, SLOT_PTR, SLOT_SIZE))
                        .isEqualTo(Status.OK);
                assertThat(probe.u32(SLOT_SIZE)).isZero();
                assertThat(probe.inStream("proxy_get_header_map_value", missing, key, 3, SLOT_PTR, SLOT_SIZE))
                        .isEqualTo(Status.BAD_ARGUMENT);
                assertThat(probe.inStream("proxy_get_header_map_size", missing, 2000)).isEqualTo(Status.BAD_ARGUMENT);
                assertThat(probe.inStream("proxy_add_header_map_value", missing, key, 3, key, 3))
                        .isEqualTo(Status.BAD_ARGUMENT);
                assertThat(probe.inStream("proxy_replace_header_map_value", missing, key, 3, key, 3))
                        .isEqualTo(Status.BAD_ARGUMENT);
                assertThat(probe.inStream("proxy_remove_header_map_value", missing, key, 3))
                        .isEqualTo(Status.BAD_ARGUMENT);
                assertThat(probe.inStream("proxy_set_header_map_pairs", missing, 0, 0)).isEqualTo(Status.BAD_ARGUMENT);
            }
        }

        @Test
        void unknownMapTypesAreBadArgument() {
            assertThat(probe.inStream("proxy_get_header_map_pairs", 8, SLOT_PTR, SLOT_SIZE))
                    .isEqualTo(Status.BAD_ARGUMENT);
            assertThat(probe.inStream("proxy_get_header_map_size", -1, 2000)).isEqualTo(Status.BAD_ARGUMENT);
        }

        @Test
        void thereAreNoHeadersInARootContext() {
            int key = probe.put(":path");
            assertThat(probe.inRoot("proxy_get_header_map_value", 0, key, 5, SLOT_PTR, SLOT_SIZE))
                    .isEqualTo(Status.BAD_ARGUMENT);
            assertThat(probe.inRoot("proxy_add_header_map_value", 0, key, 5, key, 5)).isEqualTo(Status.BAD_ARGUMENT);
            assertThat(probe.inRoot("proxy_get_header_map_pairs", 0, SLOT_PTR, SLOT_SIZE)).isEqualTo(Status.OK);
            assertThat(probe.u32(SLOT_SIZE)).isZero();
        }

        @Test
        void anEmptyValueIsPointerZeroAndSizeZero() {
            int name = probe.put("x-empty");
            int value = probe.put("");
            assertThat(probe.inStream("proxy_add_header_map_value", 0, name, 7, value, 0)).isEqualTo(Status.OK);
            int heap = probe.heapTop();
            probe.setU32(SLOT_PTR, 99);
            assertThat(probe.inStream("proxy_get_header_map_value", 0, name, 7, SLOT_PTR, SLOT_SIZE))
                    .isEqualTo(Status.OK);
            assertThat(probe.u32(SLOT_PTR)).isZero();
            assertThat(probe.u32(SLOT_SIZE)).isZero();
            assertThat(probe.heapTop()).isEqualTo(heap);
        }

        @Test
        void repeatedPseudoHeadersAllStayAndTheFirstIsRead() {
            // Envoy's getHeaderMapValue answers the first entry of a repeated name
            int name = probe.put(":path");
            int other = probe.put("/other");
            assertThat(probe.inStream("proxy_add_header_map_value", 0, name, 5, other, 6)).isEqualTo(Status.OK);
            assertThat(request.getAll(":path")).containsExactly("/probe", "/other");
            assertThat(probe.inStream("proxy_get_header_map_value", 0, name, 5, SLOT_PTR, SLOT_SIZE))
                    .isEqualTo(Status.OK);
            assertThat(probe.returnedText()).isEqualTo("/probe");
        }

        @Test
        void checksEveryPointer() {
            int key = probe.put(":path");
            assertThat(probe.inStream("proxy_get_header_map_value", 0, OUTSIDE, 5, SLOT_PTR, SLOT_SIZE))
                    .isEqualTo(Status.INVALID_MEMORY_ACCESS);
            assertThat(probe.inStream("proxy_get_header_map_value", 0, key, 5, OUTSIDE, SLOT_SIZE))
                    .isEqualTo(Status.INVALID_MEMORY_ACCESS);
            assertThat(probe.inStream("proxy_add_header_map_value", 0, key, 5, key, 0x7FFFFFFF))
                    .isEqualTo(Status.INVALID_MEMORY_ACCESS);
            assertThat(probe.inStream("proxy_replace_header_map_value", 0, OUTSIDE, 5, key, 1))
                    .isEqualTo(Status.INVALID_MEMORY_ACCESS);
            assertThat(probe.inStream("proxy_remove_header_map_value", 0, OUTSIDE, 5))
                    .isEqualTo(Status.INVALID_MEMORY_ACCESS);
            assertThat(probe.inStream("proxy_get_header_map_pairs", 0, SLOT_PTR, OUTSIDE))
                    .isEqualTo(Status.INVALID_MEMORY_ACCESS);
            assertThat(probe.inStream("proxy_set_header_map_pairs", 0, OUTSIDE, 4))
                    .isEqualTo(Status.INVALID_MEMORY_ACCESS);
            assertThat(probe.inStream("proxy_get_header_map_size", 0, OUTSIDE))
                    .isEqualTo(Status.INVALID_MEMORY_ACCESS);
        }

        @Test
        void aFullGuestHeapIsAnInvalidMemoryAccessNotACrash() {
            // fill the guest's 64 KiB heap, then ask for a header
            int key = probe.put("x-present");
            int big = probe.put(new byte[40_000]);
            probe.inStream("proxy_add_header_map_value", 0, key, 9, big, 40_000);
            assertThat(probe.inStream("proxy_get_header_map_pairs", 0, SLOT_PTR, SLOT_SIZE)).isEqualTo(Status.OK);
            assertThat(probe.inStream("proxy_get_header_map_pairs", 0, SLOT_PTR, SLOT_SIZE))
                    .isEqualTo(Status.INVALID_MEMORY_ACCESS);
        }

        @Test
        void boundsTheNumberOfPairs() {
            for (int i = request.size(); i < Limits.MAX_MAP_PAIRS; i++) {
                request.add("x-" + i, "v");
            }
            int key = probe.put("x-more");
            assertThat(probe.inStream("proxy_add_header_map_value", 0, key, 6, key, 1)).isEqualTo(Status.BAD_ARGUMENT);
        }
    }

    @Nested
    class Properties {

        @Test
        void answersPluginPropertiesInEveryContext() {
            for (String context : List.of("stream", "root")) {
                assertThat(property(context, "plugin_name")).isEqualTo("host_probe");
                assertThat(property(context, "plugin_root_id")).isEqualTo("probe-root");
                assertThat(property(context, "plugin_vm_id")).isEqualTo("probe-vm");
                assertThat(property(context, "plugin_root_id\0")).isEqualTo("probe-root");
            }
        }

        @Test
        void asksTheStreamForOtherProperties() {
            probe.host.property("request.path", PropertyEncoding.string("/probe"));
            probe.host.property("destination.port", PropertyEncoding.int64(443));
            assertThat(property("stream", "request\0path")).isEqualTo("/probe");
            assertThat(property("stream", "request.path")).isEqualTo("/probe");
            int path = probe.put("destination\0port");
            assertThat(probe.inStream("proxy_get_property", path, 16, SLOT_PTR, SLOT_SIZE)).isEqualTo(Status.OK);
            assertThat(probe.returned()).containsExactly(PropertyEncoding.int64(443));
        }

        @Test
        void unknownPropertiesAreNotFound() {
            int path = probe.put("request\0nothing");
            assertThat(probe.inStream("proxy_get_property", path, 15, SLOT_PTR, SLOT_SIZE))
                    .isEqualTo(Status.NOT_FOUND);
            int streamPath = probe.put("request\0path");
            probe.host.property("request.path", PropertyEncoding.string("/p"));
            assertThat(probe.inRoot("proxy_get_property", streamPath, 12, SLOT_PTR, SLOT_SIZE))
                    .isEqualTo(Status.NOT_FOUND);
            assertThat(probe.inStream("proxy_get_property", streamPath, 0, SLOT_PTR, SLOT_SIZE))
                    .isEqualTo(Status.NOT_FOUND);
        }

        @Test
        void setsStreamProperties() {
            int path = probe.put("filter_state\0color");
            int value = probe.put("blue");
            assertThat(probe.inStream("proxy_set_property", path, 18, value, 4)).isEqualTo(Status.OK);
            assertThat(probe.host.propertySets()).containsExactly("filter_state.color=blue");
            assertThat(property("stream", "filter_state\0color")).isEqualTo("blue");
        }

        @Test
        void refusesToSetWhatItCannot() {
            int path = probe.put("filter_state\0color");
            int value = probe.put("blue");
            assertThat(probe.inRoot("proxy_set_property", path, 18, value, 4)).isEqualTo(Status.NOT_FOUND);
            int pluginName = probe.put("plugin_name");
            assertThat(probe.inStream("proxy_set_property", pluginName, 11, value, 4)).isEqualTo(Status.NOT_FOUND);
            assertThat(probe.inStream("proxy_set_property", path, 0, value, 4)).isEqualTo(Status.BAD_ARGUMENT);
        }

        @Test
        void checksPointersAndSizes() {
            int path = probe.put("plugin_name");
            assertThat(probe.inStream("proxy_get_property", OUTSIDE, 11, SLOT_PTR, SLOT_SIZE))
                    .isEqualTo(Status.INVALID_MEMORY_ACCESS);
            assertThat(probe.inStream("proxy_get_property", path, 11, OUTSIDE, SLOT_SIZE))
                    .isEqualTo(Status.INVALID_MEMORY_ACCESS);
            assertThat(probe.inStream("proxy_set_property", path, 11, OUTSIDE, 4))
                    .isEqualTo(Status.INVALID_MEMORY_ACCESS);
            assertThat(probe.inStream("proxy_get_property", 1024, Limits.MAX_PROPERTY_PATH_BYTES + 1, SLOT_PTR,
                    SLOT_SIZE)).isEqualTo(Status.BAD_ARGUMENT);
        }

        private String property(String context, String path) {
            int address = probe.put(path);
            int status = context.equals("root")
                    ? probe.inRoot("proxy_get_property", address, path.length(), SLOT_PTR, SLOT_SIZE)
                    : probe.inStream("proxy_get_property", address, path.length(), SLOT_PTR, SLOT_SIZE);
            assertThat(status).as("status of %s in %s", path, context).isEqualTo(Status.OK);
            return probe.returnedText();
        }
    }

    @Nested
    class StreamControl {

        @Test
        void recordsALocalResponse() {
            byte[] headers = PairsCodec.encode(List.of(Map.entry("x-why", "because"), Map.entry("content-type",
                    "text/plain")));
            int details = probe.put("blocked");
            int body = probe.put("no entry");
            int pairs = probe.put(headers);
            assertThat(probe.inStream("proxy_send_local_response", 451, details, 7, body, 8, pairs, headers.length,
                    -1)).isEqualTo(Status.OK);
            Decision decision = probe.nextDecision();
            assertThat(decision).isInstanceOf(Decision.Respond.class);
            LocalResponse response = ((Decision.Respond) decision).response();
            assertThat(response.status()).isEqualTo(451);
            assertThat(response.details()).isEqualTo("blocked");
            assertThat(response.body()).containsExactly("no entry".getBytes(StandardCharsets.UTF_8));
            assertThat(response.headers()).containsExactly(Map.entry("x-why", "because"),
                    Map.entry("content-type", "text/plain"));
            assertThat(response.grpcStatus()).isEqualTo(-1);
        }

        @Test
        void keepsAKnownGrpcStatus() {
            int empty = probe.put(new byte[4]);
            assertThat(probe.inStream("proxy_send_local_response", 200, empty, 0, empty, 0, empty, 4, 7))
                    .isEqualTo(Status.OK);
            assertThat(((Decision.Respond) probe.nextDecision()).response().grpcStatus()).isEqualTo(7);
        }

        @Test
        void refusesBadLocalResponses() {
            int empty = probe.put(new byte[4]);
            assertThat(probe.inStream("proxy_send_local_response", 99, empty, 0, empty, 0, empty, 4, -1))
                    .isEqualTo(Status.BAD_ARGUMENT);
            byte[] bad = {1, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0};
            int badHeaders = probe.put(bad);
            assertThat(probe.inStream("proxy_send_local_response", 403, empty, 0, empty, 0, badHeaders, bad.length,
                    -1)).isEqualTo(Status.SERIALIZATION_FAILURE);
            assertThat(probe.inStream("proxy_send_local_response", 403, empty, 0, OUTSIDE, 10, empty, 4, -1))
                    .isEqualTo(Status.INVALID_MEMORY_ACCESS);
            // Envoy's sendLocalResponse without decoder callbacks (a root context) is an OK no-op
            assertThat(probe.inRoot("proxy_send_local_response", 403, empty, 0, empty, 0, empty, 4, -1))
                    .isEqualTo(Status.OK);
            assertThat(probe.nextDecision()).isEqualTo(Decision.CONTINUE); // nothing was recorded
        }

        @Test
        void continuesHttpStreamsOnly() {
            assertThat(probe.inStream("proxy_continue_stream", 0)).isEqualTo(Status.OK);
            assertThat(probe.inStream("proxy_continue_stream", 1)).isEqualTo(Status.OK);
            // Envoy's Context::continueStream: downstream OK (no TCP stream in an HTTP filter), upstream UNIMPLEMENTED
            assertThat(probe.inStream("proxy_continue_stream", 2)).isEqualTo(Status.OK);
            assertThat(probe.inStream("proxy_continue_stream", 3)).isEqualTo(Status.UNIMPLEMENTED);
            assertThat(probe.inStream("proxy_continue_stream", 4)).isEqualTo(Status.BAD_ARGUMENT);
            assertThat(probe.inStream("proxy_continue_request")).isEqualTo(Status.OK);
            assertThat(probe.inStream("proxy_continue_response")).isEqualTo(Status.OK);
            // a root context has no stream: Envoy answers OK and does nothing
            assertThat(probe.inRoot("proxy_continue_stream", 0)).isEqualTo(Status.OK);
            assertThat(probe.inRoot("proxy_continue_request")).isEqualTo(Status.OK);
            assertThat(probe.inRoot("proxy_close_stream", 1)).isEqualTo(Status.OK);
            assertThat(probe.nextDecision()).isEqualTo(Decision.CONTINUE); // continuing unpaused streams is harmless
        }

        @Test
        void closingAStreamAnswersLocally() {
            assertThat(probe.inStream("proxy_close_stream", 0)).isEqualTo(Status.OK);
            assertThat(((Decision.Respond) probe.nextDecision()).response().status()).isEqualTo(502);
            // Envoy's Context::closeStream: closing a TCP stream an HTTP filter does not have is an OK no-op
            assertThat(probe.inStream("proxy_close_stream", 3)).isEqualTo(Status.OK);
            assertThat(probe.inStream("proxy_close_stream", 2)).isEqualTo(Status.OK);
            assertThat(probe.inStream("proxy_close_stream", 4)).isEqualTo(Status.BAD_ARGUMENT);
        }

        @Test
        void clearRouteCacheIsAHarmlessNoOp() {
            assertThat(probe.inStream("proxy_clear_route_cache")).isEqualTo(Status.OK);
        }
    }

    @Nested
    class Contexts {

        @Test
        void switchesToALiveContextOnly() {
            assertThat(probe.inRoot("proxy_set_effective_context", probe.stream.id())).isEqualTo(Status.OK);
            assertThat(probe.inRoot("proxy_set_effective_context", probe.root().id())).isEqualTo(Status.OK);
            assertThat(probe.inRoot("proxy_set_effective_context", 999)).isEqualTo(Status.BAD_ARGUMENT);
            assertThat(probe.inRoot("proxy_set_effective_context", 0)).isEqualTo(Status.BAD_ARGUMENT);
        }

        @Test
        void theSwitchLastsForTheRestOfTheCallback() {
            int key = probe.put(":path");
            int status = probe.vm.run(GuestCallbacks.ON_TICK, probe.root(), () -> {
                probe.vm.instance().export("probe:env.proxy_set_effective_context").apply(probe.stream.id());
                return (int) probe.vm.instance().export("probe:env.proxy_get_header_map_value")
                        .apply(0, key, 5, SLOT_PTR, SLOT_SIZE)[0];
            }, null).join();
            assertThat(status).isEqualTo(Status.OK);
            assertThat(probe.returnedText()).isEqualTo("/probe");
        }

        @Test
        void doneIsOk() {
            assertThat(probe.inStream("proxy_done")).isEqualTo(Status.OK);
        }

        @Test
        void contextIdsCountFromOneAcrossRootAndHttpContexts() {
            assertThat(probe.root().id()).isEqualTo(1);
            assertThat(probe.stream.id()).isEqualTo(2);
        }
    }

    @Nested
    class CallsTimersMetricsSharedState {

        @Test
        void timersAndCallsAreImplemented() {
            assertThat(probe.inRoot("proxy_set_tick_period_milliseconds", 0)).isEqualTo(Status.OK);
            int upstream = probe.put("nowhere");
            // an upstream the proxy does not know: BAD_ARGUMENT and no call
            assertThat(probe.inStream("proxy_http_call", upstream, 7, 0, 0, 0, 0, 0, 0, 1000, 2000))
                    .isEqualTo(Status.BAD_ARGUMENT);
            assertThat(probe.inStream("proxy_http_call", upstream, 7, 0, 0, 0, 0, 0, 0, 1000, OUTSIDE))
                    .isEqualTo(Status.INVALID_MEMORY_ACCESS);
            assertThat(probe.inStream("proxy_http_call", upstream, 7, 0, 0, 0, 0, 0, 0, -1, 2000))
                    .as("Envoy reads the timeout as a signed int").isEqualTo(Status.BAD_ARGUMENT);
        }

        @Test
        void anHttpCallOutlivesTheHttpContextThatMadeIt() {
            // cpp-host's exports.cc http_call runs on WASM_CONTEXT(...)->root_context(): the call is the root
            // context's, so the end of the request cancels nothing and the answer still reaches the root
            java.util.concurrent.atomic.AtomicBoolean cancelled = new java.util.concurrent.atomic.AtomicBoolean();
            List<java.util.function.Consumer<HttpCallResponse>> answers = new java.util.concurrent.CopyOnWriteArrayList<>();
            HostServices standalone = HostServices.standalone();
            HttpCallDispatcher dispatcher = new HttpCallDispatcher() {
                @Override
                public boolean hasUpstream(String upstream) {
                    return true;
                }

                @Override
                public Runnable dispatch(HttpCallRequest request, java.util.function.Consumer<HttpCallResponse> onDone) {
                    answers.add(onDone);
                    return () -> cancelled.set(true);
                }
            };
            try (Probe calling = new Probe(Map.of(), new HostServices(dispatcher, standalone.sharedData(),
                    standalone.sharedQueues(), standalone.metrics(), standalone.scheduler(), standalone.observer()))) {
                int upstream = calling.put("logs");
                byte[] headers = PairsCodec.encode(List.of(Map.entry(":method", "POST"), Map.entry(":path", "/"),
                        Map.entry(":authority", "logs")));
                int pairs = calling.put(headers);
                assertThat(calling.during(GuestCallbacks.ON_LOG, calling.stream, "env.proxy_http_call", upstream, 4,
                        pairs, headers.length, 0, 0, 0, 0, 1000, 2000)).isEqualTo(Status.OK);
                calling.stream.finish().toCompletableFuture().join();
                assertThat(answers).hasSize(1);
                assertThat(cancelled).isFalse();
            }
        }

        @Test
        void anHttpCallNeedsThePseudoHeadersPresentNotNonEmpty() {
            List<HttpCallRequest> started = new java.util.concurrent.CopyOnWriteArrayList<>();
            HostServices standalone = HostServices.standalone();
            HttpCallDispatcher dispatcher = new HttpCallDispatcher() {
                @Override
                public boolean hasUpstream(String upstream) {
                    return upstream.equals("auth");
                }

                @Override
                public Runnable dispatch(HttpCallRequest request, java.util.function.Consumer<HttpCallResponse> onDone) {
                    started.add(request);
                    return () -> {
                    };
                }
            };
            try (Probe calling = new Probe(Map.of(), new HostServices(dispatcher, standalone.sharedData(),
                    standalone.sharedQueues(), standalone.metrics(), standalone.scheduler(), standalone.observer()))) {
                int upstream = calling.put("auth");
                // the Go SDK's multiple_dispatches example sends an empty :authority; Envoy only checks presence
                byte[] withEmptyAuthority = PairsCodec.encode(List.of(Map.entry(":method", "GET"),
                        Map.entry(":path", "/"), Map.entry(":authority", "")));
                int headers = calling.put(withEmptyAuthority);
                assertThat(calling.inStream("proxy_http_call", upstream, 4, headers, withEmptyAuthority.length, 0, 0,
                        0, 0, 1000, 2000)).isEqualTo(Status.OK);
                byte[] withoutAuthority = PairsCodec.encode(List.of(Map.entry(":method", "GET"),
                        Map.entry(":path", "/")));
                int missing = calling.put(withoutAuthority);
                assertThat(calling.inStream("proxy_http_call", upstream, 4, missing, withoutAuthority.length, 0, 0,
                        0, 0, 1000, 2000)).isEqualTo(Status.BAD_ARGUMENT);
                assertThat(started).hasSize(1); // started as the callback returned
                assertThat(started.get(0).headers()).contains(Map.entry(":authority", ""));
            }
        }

        @Test
        void metricsFollowEnvoysRules() {
            int name = probe.put("probe_counter");
            assertThat(probe.inRoot("proxy_define_metric", 0, name, 13, SLOT_PTR)).isEqualTo(Status.OK);
            int counter = probe.u32(SLOT_PTR);
            assertThat(probe.inRoot("proxy_define_metric", 0, name, 13, SLOT_PTR)).isEqualTo(Status.OK);
            assertThat(probe.u32(SLOT_PTR)).as("the same name, the same id").isEqualTo(counter);
            assertThat(probe.inRoot("proxy_increment_metric", counter, -5L)).isEqualTo(Status.BAD_ARGUMENT);
            assertThat(probe.inRoot("proxy_increment_metric", counter, 2L)).isEqualTo(Status.OK);
            assertThat(probe.inRoot("proxy_record_metric", counter, 3L)).as("adds, on a counter").isEqualTo(Status.OK);
            assertThat(probe.inRoot("proxy_get_metric", counter, SLOT_SIZE)).isEqualTo(Status.OK);
            assertThat(probe.u64(SLOT_SIZE)).isEqualTo(5L);

            int gaugeName = probe.put("probe_gauge");
            assertThat(probe.inRoot("proxy_define_metric", 1, gaugeName, 11, SLOT_PTR)).isEqualTo(Status.OK);
            int gauge = probe.u32(SLOT_PTR);
            assertThat(probe.inRoot("proxy_record_metric", gauge, 7L)).isEqualTo(Status.OK);
            assertThat(probe.inRoot("proxy_increment_metric", gauge, -2L)).isEqualTo(Status.OK);
            assertThat(probe.inRoot("proxy_get_metric", gauge, SLOT_SIZE)).isEqualTo(Status.OK);
            assertThat(probe.u64(SLOT_SIZE)).isEqualTo(5L);

            assertThat(probe.inRoot("proxy_increment_metric", counter, 0L)).as("Envoy: only offset > 0")
                    .isEqualTo(Status.BAD_ARGUMENT);
            assertThat(probe.inRoot("proxy_define_metric", 1, name, 13, SLOT_PTR)).isEqualTo(Status.OK);
            assertThat(probe.u32(SLOT_PTR)).as("a gauge of a counter's name is another metric").isNotEqualTo(counter);

            int histogramName = probe.put("probe_histogram");
            assertThat(probe.inRoot("proxy_define_metric", 2, histogramName, 15, SLOT_PTR)).isEqualTo(Status.OK);
            int histogram = probe.u32(SLOT_PTR);
            assertThat(probe.inRoot("proxy_record_metric", histogram, 42L)).isEqualTo(Status.OK);
            assertThat(probe.inRoot("proxy_increment_metric", histogram, 1L)).isEqualTo(Status.BAD_ARGUMENT);
            assertThat(probe.inRoot("proxy_get_metric", histogram, SLOT_SIZE)).as("Envoy cannot read a histogram")
                    .isEqualTo(Status.BAD_ARGUMENT);

            assertThat(probe.inRoot("proxy_define_metric", 9, name, 13, SLOT_PTR)).isEqualTo(Status.BAD_ARGUMENT);
            assertThat(probe.inRoot("proxy_increment_metric", 999, 1L)).isEqualTo(Status.NOT_FOUND);
            assertThat(probe.inRoot("proxy_get_metric", counter, OUTSIDE)).isEqualTo(Status.INVALID_MEMORY_ACCESS);
        }

        @Test
        void sharedDataHasCasSemantics() {
            int key = probe.put("probe:shared-key");
            int value = probe.put("v1");
            assertThat(probe.inRoot("proxy_get_shared_data", key, 16, SLOT_PTR, SLOT_SIZE, 3000))
                    .isEqualTo(Status.NOT_FOUND);
            assertThat(probe.inRoot("proxy_set_shared_data", key, 16, value, 2, 0)).isEqualTo(Status.OK);
            assertThat(probe.inStream("proxy_get_shared_data", key, 16, SLOT_PTR, SLOT_SIZE, 3000))
                    .isEqualTo(Status.OK);
            assertThat(probe.returnedText()).isEqualTo("v1");
            int cas = probe.u32(3000);
            assertThat(probe.inRoot("proxy_set_shared_data", key, 16, value, 1, cas + 1))
                    .isEqualTo(Status.CAS_MISMATCH);
            assertThat(probe.inRoot("proxy_set_shared_data", key, 16, value, 1, cas)).isEqualTo(Status.OK);
            assertThat(probe.inRoot("proxy_get_shared_data", key, 16, SLOT_PTR, SLOT_SIZE, OUTSIDE))
                    .isEqualTo(Status.INVALID_MEMORY_ACCESS);
        }

        @Test
        void anEmptyVmIdResolvesTheCallersOwnQueue() {
            // cpp-host's ContextBase::lookupSharedQueue: vm_id.empty() ? wasm_->vm_id() : vm_id
            int name = probe.put("own-queue");
            assertThat(probe.inRoot("proxy_register_shared_queue", name, 9, SLOT_PTR)).isEqualTo(Status.OK);
            int queue = probe.u32(SLOT_PTR);
            assertThat(probe.inStream("proxy_resolve_shared_queue", name, 0, name, 9, SLOT_SIZE)).isEqualTo(Status.OK);
            assertThat(probe.u32(SLOT_SIZE)).isEqualTo(queue);
        }

        @Test
        void queuesAreRegisteredByVmIdResolvedAndDrained() {
            int name = probe.put("probe-queue");
            int vmId = probe.put("probe-vm");
            assertThat(probe.inRoot("proxy_register_shared_queue", name, 11, SLOT_PTR)).isEqualTo(Status.OK);
            int queue = probe.u32(SLOT_PTR);
            assertThat(probe.inRoot("proxy_register_shared_queue", name, 11, SLOT_PTR)).isEqualTo(Status.OK);
            assertThat(probe.u32(SLOT_PTR)).isEqualTo(queue);
            assertThat(probe.inStream("proxy_resolve_shared_queue", vmId, 8, name, 11, SLOT_SIZE)).isEqualTo(Status.OK);
            assertThat(probe.u32(SLOT_SIZE)).isEqualTo(queue);
            assertThat(probe.inStream("proxy_resolve_shared_queue", name, 11, name, 11, SLOT_SIZE))
                    .isEqualTo(Status.NOT_FOUND);
            int message = probe.put("hello");
            assertThat(probe.inStream("proxy_enqueue_shared_queue", queue, message, 5)).isEqualTo(Status.OK);
            assertThat(probe.inRoot("proxy_dequeue_shared_queue", queue, SLOT_PTR, SLOT_SIZE)).isEqualTo(Status.OK);
            assertThat(probe.returnedText()).isEqualTo("hello");
            assertThat(probe.inRoot("proxy_dequeue_shared_queue", queue, SLOT_PTR, SLOT_SIZE)).isEqualTo(Status.EMPTY);
            assertThat(probe.inRoot("proxy_enqueue_shared_queue", 999_999, message, 5)).isEqualTo(Status.NOT_FOUND);
        }

        @Test
        void activeSpanTagsAreAcceptedAndIgnored() {
            int tag = probe.put("tag");
            assertThat(probe.inStream("proxy_set_active_span_tag", tag, 3, tag, 3)).isEqualTo(Status.OK);
            assertThat(probe.inStream("proxy_set_active_span_tag", OUTSIDE, 3, tag, 3))
                    .isEqualTo(Status.INVALID_MEMORY_ACCESS);
        }
    }
}
