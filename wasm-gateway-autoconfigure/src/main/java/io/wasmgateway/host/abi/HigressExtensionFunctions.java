package io.wasmgateway.host.abi;

import java.util.List;

/**
 * The host functions Higress adds to ABI 0.2.1 besides Redis calls, linked so that Higress-built filters
 * instantiate, answering UNIMPLEMENTED (12): injecting encoded data into the filter chain and overriding the
 * upstream host have no counterpart in Spring Cloud Gateway's routing yet.
 */
final class HigressExtensionFunctions {

    private HigressExtensionFunctions() {
    }

    static List<HostCall> functions(AbiVm vm) {
        return List.of(
                unimplemented(vm, "proxy_inject_encoded_data_to_filter_chain", 3), // (body_ptr, body_size, end)
                unimplemented(vm, "proxy_get_upstream_hosts", 2), // (return_ptr, return_size_ptr)
                unimplemented(vm, "proxy_set_upstream_override_host", 2)); // (address_ptr, address_size)
    }

    private static HostCall unimplemented(AbiVm vm, String name, int params) {
        return HostCall.status(name, params, vm.logger(), args -> {
            if (vm.logger().isDebugEnabled()) {
                vm.logger().debug("{} (a Higress extension) is not implemented: answered UNIMPLEMENTED", name);
            }
            return Status.UNIMPLEMENTED;
        });
    }
}
