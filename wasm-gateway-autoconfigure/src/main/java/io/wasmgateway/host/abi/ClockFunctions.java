package io.wasmgateway.host.abi;

import static io.wasmgateway.host.abi.HostCall.arg;

import java.time.Instant;
import java.util.List;

/** proxy_get_current_time_nanoseconds: a u64 of nanoseconds since the epoch. */
final class ClockFunctions {

    private ClockFunctions() {
    }

    static List<HostCall> functions(AbiVm vm) {
        return List.of(
                // (return_time_ptr)
                HostCall.status("proxy_get_current_time_nanoseconds", 1, vm.logger(), args -> {
                    Instant now = Instant.now();
                    vm.memory().writeU64(arg(args, 0), now.getEpochSecond() * 1_000_000_000L + now.getNano());
                    return Status.OK;
                }));
    }
}
