package io.wasmgateway.host.abi;

import static io.wasmgateway.host.abi.HostCall.arg;

import java.util.List;

/**
 * proxy_get_buffer_status, proxy_get_buffer_bytes, proxy_set_buffer_bytes and ABI 0.1.0's
 * proxy_get_configuration. Which buffers exist is the effective context's business ({@link AbiContext#buffer}).
 */
final class BufferFunctions {

    private BufferFunctions() {
    }

    static List<HostCall> functions(AbiVm vm) {
        return List.of(
                // (buffer_type, return_size_ptr, return_flags_ptr)
                HostCall.status("proxy_get_buffer_status", 3, vm.logger(), args -> {
                    int type = arg(args, 0);
                    if (!isKnown(type)) {
                        return Status.BAD_ARGUMENT;
                    }
                    AbiBuffer buffer = vm.buffer(type);
                    if (buffer == null) {
                        return Status.NOT_FOUND;
                    }
                    GuestMemory memory = vm.memory();
                    memory.writeU32(arg(args, 1), buffer.size());
                    memory.writeU32(arg(args, 2), 0);
                    return Status.OK;
                }),
                // (buffer_type, start, max_size, return_data_ptr, return_size_ptr)
                HostCall.status("proxy_get_buffer_bytes", 5, vm.logger(), args -> {
                    int type = arg(args, 0);
                    if (!isKnown(type)) {
                        return Status.BAD_ARGUMENT;
                    }
                    AbiBuffer buffer = vm.buffer(type);
                    if (buffer == null) {
                        return Status.NOT_FOUND;
                    }
                    long start = Integer.toUnsignedLong(arg(args, 1));
                    long maxSize = Integer.toUnsignedLong(arg(args, 2));
                    if (start > buffer.size()) {
                        return Status.BAD_ARGUMENT;
                    }
                    int length = (int) Math.min(maxSize, buffer.size() - start);
                    vm.memory().returnBytes(buffer.bytes((int) start, length), arg(args, 3), arg(args, 4));
                    return Status.OK;
                }),
                // (buffer_type, start, size, data_ptr, data_size)
                HostCall.status("proxy_set_buffer_bytes", 5, vm.logger(), args -> {
                    int type = arg(args, 0);
                    if (!isKnown(type)) {
                        return Status.BAD_ARGUMENT;
                    }
                    byte[] data = vm.memory().read(arg(args, 3), arg(args, 4));
                    AbiBuffer buffer = vm.buffer(type);
                    if (buffer == null) {
                        return Status.NOT_FOUND;
                    }
                    return buffer.replace(Integer.toUnsignedLong(arg(args, 1)), Integer.toUnsignedLong(arg(args, 2)),
                            data);
                }),
                // 0.1.0: (return_data_ptr, return_size_ptr)
                HostCall.status("proxy_get_configuration", 2, vm.logger(), args -> {
                    byte[] configuration = vm.effectiveContext().configuration();
                    if (configuration == null) {
                        return Status.NOT_FOUND;
                    }
                    vm.memory().returnBytes(configuration, arg(args, 0), arg(args, 1));
                    return Status.OK;
                }));
    }

    private static boolean isKnown(int type) {
        return type >= 0 && type <= BufferType.MAX;
    }
}
