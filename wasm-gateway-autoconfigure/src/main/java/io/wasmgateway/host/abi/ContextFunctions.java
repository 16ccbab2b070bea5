package io.wasmgateway.host.abi;

import static io.wasmgateway.host.abi.HostCall.arg;

import java.util.List;

/** proxy_set_effective_context and proxy_done. */
final class ContextFunctions {

    private ContextFunctions() {
    }

    static List<HostCall> functions(AbiVm vm) {
        return List.of(
                // (context_id)
                HostCall.status("proxy_set_effective_context", 1, vm.logger(),
                        args -> vm.setEffectiveContext(arg(args, 0)) ? Status.OK : Status.BAD_ARGUMENT),
                // (): the host finishes HTTP contexts itself after proxy_on_done, whatever it returned; a released
                // plugin's root context that returned false from proxy_on_done finishes now
                HostCall.status("proxy_done", 0, vm.logger(), args -> {
                    vm.done();
                    return Status.OK;
                }));
    }
}
