package io.wasmgateway.host.abi;

import static io.wasmgateway.host.abi.HostCall.arg;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.wasmgateway.host.ForeignFunction;
import io.wasmgateway.host.ForeignFunctionException;

/**
 * proxy_call_foreign_function: calls a {@link ForeignFunction} of the host by name, as proxy-wasm-cpp-host does:
 * an unknown name answers NOT_FOUND; the result is copied into a guest allocation whose address and size are
 * written at the two return slots (a slot of 0 means the caller wants no result). An empty result writes 0 and
 * 0 without calling the allocator (the Go SDK's allocator panics on 0 bytes).
 */
final class ForeignFunctionFunctions {

    private ForeignFunctionFunctions() {
    }

    static List<HostCall> functions(AbiVm vm) {
        return List.of(
                // (name_ptr, name_size, args_ptr, args_size, return_results_ptr, return_results_size_ptr)
                HostCall.status("proxy_call_foreign_function", 6, vm.logger(), args -> {
                    GuestMemory memory = vm.memory();
                    String name = memory.readString(arg(args, 0), arg(args, 1), StandardCharsets.UTF_8);
                    byte[] arguments = memory.read(arg(args, 2), arg(args, 3));
                    ForeignFunction function = vm.services().foreignFunctions().find(name);
                    if (function == null) {
                        return Status.NOT_FOUND;
                    }
                    byte[] result;
                    try {
                        result = function.call(new ForeignFunction.ForeignCall(vm.moduleName(), arguments,
                                vm.logger()));
                    }
                    catch (ForeignFunctionException ex) {
                        if (vm.logger().isDebugEnabled()) {
                            vm.logger().debug("foreign function {} answered {}: {}", name, ex.status(),
                                    ex.getMessage());
                        }
                        return ex.status();
                    }
                    int resultsSlot = arg(args, 4);
                    int sizeSlot = arg(args, 5);
                    byte[] bytes = result == null ? new byte[0] : result;
                    if (bytes.length > 0 && resultsSlot != 0) {
                        memory.returnBytes(bytes, resultsSlot, sizeSlot);
                        return Status.OK;
                    }
                    if (resultsSlot != 0) {
                        memory.writeU32(resultsSlot, 0);
                    }
                    if (sizeSlot != 0) {
                        memory.writeU32(sizeSlot, bytes.length);
                    }
                    return Status.OK;
                }));
    }
}
