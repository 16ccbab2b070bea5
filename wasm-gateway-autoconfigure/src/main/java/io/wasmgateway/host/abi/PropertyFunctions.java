package io.wasmgateway.host.abi;

import static io.wasmgateway.host.abi.HostCall.arg;

import io.wasmgateway.host.PropertyEncoding;

import java.util.List;

/**
 * proxy_get_property and proxy_set_property. The plugin properties ({@code plugin_name},
 * {@code plugin_root_id}, {@code plugin_vm_id}) are answered here in any context; every other path is the
 * effective context's (the stream's) business.
 */
final class PropertyFunctions {

    private PropertyFunctions() {
    }

    static List<HostCall> functions(AbiVm vm) {
        return List.of(
                // (path_ptr, path_size, return_value_ptr, return_size_ptr)
                HostCall.status("proxy_get_property", 4, vm.logger(), args -> {
                    List<String> path = readPath(vm.memory(), arg(args, 0), arg(args, 1));
                    if (path == null) {
                        return Status.BAD_ARGUMENT;
                    }
                    AbiContext context = vm.effectiveContext();
                    byte[] value = pluginProperty(context.plugin(), path);
                    if (value == null && !path.isEmpty()) {
                        value = context.property(path);
                    }
                    if (value == null) {
                        return Status.NOT_FOUND;
                    }
                    vm.memory().returnBytes(value, arg(args, 2), arg(args, 3));
                    return Status.OK;
                }),
                // (path_ptr, path_size, value_ptr, value_size)
                HostCall.status("proxy_set_property", 4, vm.logger(), args -> {
                    GuestMemory memory = vm.memory();
                    List<String> path = readPath(memory, arg(args, 0), arg(args, 1));
                    int valueSize = arg(args, 3);
                    if (!memory.contains(arg(args, 2), valueSize)) {
                        return Status.INVALID_MEMORY_ACCESS;
                    }
                    if (path == null || path.isEmpty()
                            || Integer.compareUnsigned(valueSize, Limits.MAX_PROPERTY_VALUE_BYTES) > 0) {
                        return Status.BAD_ARGUMENT;
                    }
                    AbiContext context = vm.effectiveContext();
                    if (pluginProperty(context.plugin(), path) != null) {
                        return Status.NOT_FOUND; // the host's own properties are read-only
                    }
                    return context.setProperty(path, memory.read(arg(args, 2), valueSize));
                }));
    }

    /** The path's segments, or null when it is longer than {@link Limits#MAX_PROPERTY_PATH_BYTES}. */
    private static List<String> readPath(GuestMemory memory, int ptr, int size) {
        if (!memory.contains(ptr, size)) {
            throw new InvalidMemoryAccess("property path");
        }
        if (Integer.compareUnsigned(size, Limits.MAX_PROPERTY_PATH_BYTES) > 0) {
            return null;
        }
        return PropertyPath.parse(memory.read(ptr, size));
    }

    static byte[] pluginProperty(PluginInfo plugin, List<String> path) {
        if (plugin == null || path.size() != 1) {
            return null;
        }
        return switch (path.get(0)) {
            case "plugin_name" -> PropertyEncoding.string(plugin.name());
            case "plugin_root_id" -> PropertyEncoding.string(plugin.rootId());
            case "plugin_vm_id" -> PropertyEncoding.string(plugin.vmId());
            default -> null;
        };
    }
}
