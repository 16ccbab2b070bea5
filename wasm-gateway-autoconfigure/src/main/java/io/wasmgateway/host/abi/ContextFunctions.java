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
                // (): the host finishes every context itself after proxy_on_done, whatever it returned
                HostCall.status("proxy_done", 0, vm.logger(), args -> Status.OK));
    }
}
