package io.wasmgateway.host.abi;

import static io.wasmgateway.host.abi.HostCall.arg;

import io.wasmgateway.host.shared.QueueListener;
import io.wasmgateway.host.shared.SharedQueues;
import io.wasmgateway.host.shared.SharedStatus;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalInt;

/**
 * The shared queues: registered by the caller's vm_id and a name, resolved from any module, and an enqueue
 * wakes the root context that registered the queue with proxy_on_queue_ready, on its own VM, later.
 */
final class SharedQueueFunctions {

    private SharedQueueFunctions() {
    }

    static List<HostCall> functions(AbiVm vm) {
        return List.of(
                // (name_ptr, name_size, return_id_ptr)
                HostCall.status("proxy_register_shared_queue", 3, vm.logger(), args -> {
                    GuestMemory memory = vm.memory();
                    String name = text(memory, arg(args, 0), arg(args, 1));
                    if (!memory.contains(arg(args, 2), 4) || name == null) {
                        return name == null ? Status.BAD_ARGUMENT : Status.INVALID_MEMORY_ACCESS;
                    }
                    PluginInfo plugin = vm.effectiveContext().plugin();
                    QueueListener listener = vm.queueListener();
                    if (plugin == null || listener == null) {
                        return Status.NOT_FOUND; // only a plugin's contexts can register
                    }
                    OptionalInt id = vm.services().sharedQueues().register(plugin.vmId(), name, listener);
                    if (id.isEmpty()) {
                        return Status.INTERNAL_FAILURE; // too many queues
                    }
                    memory.writeU32(arg(args, 2), id.getAsInt());
                    return Status.OK;
                }),
                // (vm_id_ptr, vm_id_size, name_ptr, name_size, return_id_ptr)
                HostCall.status("proxy_resolve_shared_queue", 5, vm.logger(), args -> {
                    GuestMemory memory = vm.memory();
                    String vmId = text(memory, arg(args, 0), arg(args, 1));
                    String name = text(memory, arg(args, 2), arg(args, 3));
                    if (!memory.contains(arg(args, 4), 4)) {
                        return Status.INVALID_MEMORY_ACCESS;
                    }
                    if (vmId == null || name == null) {
                        return Status.BAD_ARGUMENT;
                    }
                    PluginInfo plugin = vm.effectiveContext().plugin();
                    if (vmId.isEmpty() && plugin != null) {
                        vmId = plugin.vmId(); // cpp-host's lookupSharedQueue: an empty vm_id means the caller's own
                    }
                    OptionalInt id = vm.services().sharedQueues().resolve(vmId, name);
                    if (id.isEmpty()) {
                        return Status.NOT_FOUND;
                    }
                    memory.writeU32(arg(args, 4), id.getAsInt());
                    return Status.OK;
                }),
                // (queue_id, value_ptr, value_size)
                HostCall.status("proxy_enqueue_shared_queue", 3, vm.logger(), args -> {
                    if (Integer.compareUnsigned(arg(args, 2), Limits.MAX_SHARED_VALUE_BYTES) > 0) {
                        return Status.BAD_ARGUMENT;
                    }
                    byte[] message = vm.memory().read(arg(args, 1), arg(args, 2));
                    return vm.services().sharedQueues().enqueue(arg(args, 0), message).abiStatus();
                }),
                // (queue_id, return_value_ptr, return_size_ptr)
                HostCall.status("proxy_dequeue_shared_queue", 3, vm.logger(), args -> {
                    GuestMemory memory = vm.memory();
                    if (!memory.contains(arg(args, 1), 4) || !memory.contains(arg(args, 2), 4)) {
                        return Status.INVALID_MEMORY_ACCESS;
                    }
                    SharedQueues.Dequeued dequeued = vm.services().sharedQueues().dequeue(arg(args, 0));
                    if (dequeued.status() != SharedStatus.OK) {
                        return dequeued.status().abiStatus();
                    }
                    memory.returnBytes(dequeued.message(), arg(args, 1), arg(args, 2));
                    return Status.OK;
                }));
    }

    private static String text(GuestMemory memory, int ptr, int size) {
        if (Integer.compareUnsigned(size, Limits.MAX_SHARED_KEY_BYTES) > 0) {
            memory.read(ptr, 0);
            return null;
        }
        return memory.readString(ptr, size, StandardCharsets.UTF_8);
    }
}
