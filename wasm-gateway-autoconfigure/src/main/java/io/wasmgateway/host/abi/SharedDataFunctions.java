package io.wasmgateway.host.abi;

import static io.wasmgateway.host.abi.HostCall.arg;

import io.wasmgateway.host.shared.SharedData;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * proxy_get_shared_data and proxy_set_shared_data on the gateway-wide store: values are bytes with a cas
 * number; cas 0 sets unconditionally, a stale cas answers CAS_MISMATCH, a missing key NOT_FOUND.
 */
final class SharedDataFunctions {

    private SharedDataFunctions() {
    }

    static List<HostCall> functions(AbiVm vm) {
        return List.of(
                // (key_ptr, key_size, return_value_ptr, return_size_ptr, return_cas_ptr)
                HostCall.status("proxy_get_shared_data", 5, vm.logger(), args -> {
                    GuestMemory memory = vm.memory();
                    if (!memory.contains(arg(args, 4), 4)) {
                        return Status.INVALID_MEMORY_ACCESS;
                    }
                    String key = key(memory, arg(args, 0), arg(args, 1));
                    if (key == null) {
                        return Status.BAD_ARGUMENT;
                    }
                    SharedData.Value value = vm.services().sharedData().get(key);
                    if (value == null) {
                        return Status.NOT_FOUND;
                    }
                    memory.returnBytes(value.value(), arg(args, 2), arg(args, 3));
                    memory.writeU32(arg(args, 4), value.cas());
                    return Status.OK;
                }),
                // (key_ptr, key_size, value_ptr, value_size, cas)
                HostCall.status("proxy_set_shared_data", 5, vm.logger(), args -> {
                    GuestMemory memory = vm.memory();
                    String key = key(memory, arg(args, 0), arg(args, 1));
                    if (key == null || Integer.compareUnsigned(arg(args, 3), Limits.MAX_SHARED_VALUE_BYTES) > 0) {
                        return Status.BAD_ARGUMENT;
                    }
                    byte[] value = memory.read(arg(args, 2), arg(args, 3));
                    int status = vm.services().sharedData().set(key, value, arg(args, 4)).abiStatus();
                    if (status != Status.OK && status != Status.CAS_MISMATCH) {
                        vm.logger().warn("shared data: set of key '{}' ({} bytes) refused: the store is full", key,
                                value.length);
                    }
                    return status;
                }));
    }

    /** The key as UTF-8, or null when it is longer than the limit. */
    private static String key(GuestMemory memory, int ptr, int size) {
        if (Integer.compareUnsigned(size, Limits.MAX_SHARED_KEY_BYTES) > 0) {
            memory.read(ptr, 0); // still answer INVALID_MEMORY_ACCESS first for a bad pointer
            return null;
        }
        return memory.readString(ptr, size, StandardCharsets.UTF_8);
    }
}
