package io.wasmgateway.host.abi;

import static io.wasmgateway.host.abi.HostCall.arg;

import java.util.List;

/** proxy_set_tick_period_milliseconds: proxy_on_tick on the caller's root context at that period (0 stops it). */
final class TimerFunctions {

    private TimerFunctions() {
    }

    static List<HostCall> functions(AbiVm vm) {
        // (period_ms)
        return List.of(HostCall.status("proxy_set_tick_period_milliseconds", 1, vm.logger(),
                args -> vm.setTickPeriod(Integer.toUnsignedLong(arg(args, 0)))));
    }
}
