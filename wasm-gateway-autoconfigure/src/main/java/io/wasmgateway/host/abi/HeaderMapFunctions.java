package io.wasmgateway.host.abi;

import static io.wasmgateway.host.abi.HostCall.arg;

import io.wasmgateway.host.HeaderMap;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The proxy_*_header_map_* functions. Which maps exist is the effective context's business
 * ({@link AbiContext#headerMap}); names and values are ISO-8859-1 (one char per byte), names lower-cased by
 * {@link HeaderMap}. Guest memory is checked before the map is looked up, so a bad pointer always answers
 * INVALID_MEMORY_ACCESS. As in Envoy ({@code Context::getHeaderMapPairs} and the others): a map that does not exist
 * in the current phase reads as empty through get_header_map_pairs and is BAD_ARGUMENT for every other function.
 */
final class HeaderMapFunctions {

    private HeaderMapFunctions() {
    }

    static List<HostCall> functions(AbiVm vm) {
        PairsCodec.Writer writer = new PairsCodec.Writer(); // this VM's calls never overlap
        return List.of(
                // (map_type, return_size_ptr)
                HostCall.status("proxy_get_header_map_size", 2, vm.logger(), args -> {
                    int type = arg(args, 0);
                    if (!isKnown(type)) {
                        return Status.BAD_ARGUMENT;
                    }
                    HeaderMap map = vm.headerMap(type);
                    if (map == null) {
                        return Status.BAD_ARGUMENT;
                    }
                    // Envoy answers the map's byteSize(): the bytes of its names and values
                    vm.memory().writeU32(arg(args, 1), (int) Math.min(map.textLength(), Integer.MAX_VALUE));
                    return Status.OK;
                }),
                // (map_type, return_data_ptr, return_size_ptr)
                HostCall.status("proxy_get_header_map_pairs", 3, vm.logger(), args -> {
                    int type = arg(args, 0);
                    if (!isKnown(type)) {
                        return Status.BAD_ARGUMENT;
                    }
                    // a map that does not exist (yet) reads as empty, as in Envoy; empty is pointer 0, size 0
                    HeaderMap map = vm.headerMap(type);
                    int length = map == null || map.size() == 0 ? 0 : writer.encode(map);
                    vm.memory().returnBytes(writer.buffer(), length, arg(args, 1), arg(args, 2));
                    writer.trim();
                    return Status.OK;
                }),
                // (map_type, data_ptr, data_size)
                HostCall.status("proxy_set_header_map_pairs", 3, vm.logger(), args -> {
                    int type = arg(args, 0);
                    if (!isKnown(type)) {
                        return Status.BAD_ARGUMENT;
                    }
                    int size = arg(args, 2);
                    GuestMemory memory = vm.memory();
                    if (!memory.contains(arg(args, 1), size)) {
                        return Status.INVALID_MEMORY_ACCESS;
                    }
                    if (Integer.compareUnsigned(size, Limits.MAX_MAP_BYTES) > 0) {
                        return Status.BAD_ARGUMENT;
                    }
                    PairsCodec.Decoded decoded = PairsCodec.decode(memory.read(arg(args, 1), size));
                    if (!decoded.isOk()) {
                        return decoded.status();
                    }
                    HeaderMap map = vm.headerMap(type);
                    if (map == null) {
                        return Status.BAD_ARGUMENT;
                    }
                    map.replaceAll(decoded.pairs());
                    return Status.OK;
                }),
                // (map_type, key_ptr, key_size, return_value_ptr, return_size_ptr)
                HostCall.status("proxy_get_header_map_value", 5, vm.logger(), args -> {
                    int type = arg(args, 0);
                    if (!isKnown(type)) {
                        return Status.BAD_ARGUMENT;
                    }
                    GuestMemory memory = vm.memory();
                    String key = string(memory, arg(args, 1), arg(args, 2));
                    HeaderMap map = vm.headerMap(type);
                    if (map == null && !vm.inLogCallback()) {
                        return Status.BAD_ARGUMENT; // Envoy: the map is not available in this phase
                    }
                    // in proxy_on_log a map the request never had (no response, no trailers) is a missing key,
                    // as Envoy's getHeaderMapValue answers in its access-log phase
                    String value = map == null ? null : map.get(key);
                    if (value == null) {
                        if (!vm.abiVersion().isLegacy()) {
                            return Status.NOT_FOUND;
                        }
                        value = ""; // ABI 0.1.0: a missing header is an empty value
                    }
                    memory.returnBytes(writer.buffer(), writer.latin1(value), arg(args, 3), arg(args, 4));
                    return Status.OK;
                }),
                // (map_type, key_ptr, key_size, value_ptr, value_size)
                HostCall.status("proxy_add_header_map_value", 5, vm.logger(), args -> {
                    return change(vm, args, (map, key, value) -> map.add(key, value));
                }),
                // (map_type, key_ptr, key_size, value_ptr, value_size)
                HostCall.status("proxy_replace_header_map_value", 5, vm.logger(), args -> {
                    return change(vm, args, (map, key, value) -> map.set(key, value));
                }),
                // (map_type, key_ptr, key_size)
                HostCall.status("proxy_remove_header_map_value", 3, vm.logger(), args -> {
                    int type = arg(args, 0);
                    if (!isKnown(type)) {
                        return Status.BAD_ARGUMENT;
                    }
                    String key = string(vm.memory(), arg(args, 1), arg(args, 2));
                    HeaderMap map = vm.headerMap(type);
                    if (map == null) {
                        return Status.BAD_ARGUMENT;
                    }
                    map.remove(key);
                    return Status.OK;
                }));
    }

    private interface Change {
        void apply(HeaderMap map, String key, String value);
    }

    /** add and replace: both check memory, the map's existence and its limits the same way. */
    private static int change(AbiVm vm, long[] args, Change change) {
        int type = arg(args, 0);
        if (!isKnown(type)) {
            return Status.BAD_ARGUMENT;
        }
        GuestMemory memory = vm.memory();
        int keySize = arg(args, 2);
        int valueSize = arg(args, 4);
        if (!memory.contains(arg(args, 1), keySize) || !memory.contains(arg(args, 3), valueSize)) {
            return Status.INVALID_MEMORY_ACCESS;
        }
        HeaderMap map = vm.headerMap(type);
        if (map == null) {
            return Status.BAD_ARGUMENT;
        }
        long grown = (long) PairsCodec.encodedSize(map) + 10 + Integer.toUnsignedLong(keySize)
                + Integer.toUnsignedLong(valueSize);
        if (map.size() >= Limits.MAX_MAP_PAIRS || grown > Limits.MAX_MAP_BYTES) {
            return Status.BAD_ARGUMENT;
        }
        change.apply(map, string(memory, arg(args, 1), keySize), string(memory, arg(args, 3), valueSize));
        return Status.OK;
    }

    private static String string(GuestMemory memory, int ptr, int size) {
        return memory.readString(ptr, size, StandardCharsets.ISO_8859_1);
    }

    private static boolean isKnown(int type) {
        return type >= 0 && type <= MapType.MAX;
    }
}
