package io.wasmgateway.host.abi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every host function of module {@code env} (ABI 0.1.0 and 0.2.x, plus harmless extras), by name, bound to
 * one VM. Each area lives in its own class: {@link LoggingFunctions}, {@link ClockFunctions},
 * {@link BufferFunctions}, {@link HeaderMapFunctions}, {@link PropertyFunctions}, {@link StreamFunctions},
 * {@link ContextFunctions}, {@link CompatibilityFunctions}, {@link HttpCallFunctions},
 * {@link TimerFunctions}, {@link SharedDataFunctions}, {@link SharedQueueFunctions}, {@link MetricFunctions} and {@link UnimplementedFunctions}.
 */
public final class HostFunctions {

    public static final String MODULE = "env";

    private HostFunctions() {
    }

    public static Map<String, HostCall> forVm(AbiVm vm) {
        Map<String, HostCall> all = new LinkedHashMap<>();
        for (List<HostCall> area : List.of(LoggingFunctions.functions(vm), ClockFunctions.functions(vm),
                BufferFunctions.functions(vm), HeaderMapFunctions.functions(vm), PropertyFunctions.functions(vm),
                StreamFunctions.functions(vm), ContextFunctions.functions(vm), CompatibilityFunctions.functions(vm),
                HttpCallFunctions.functions(vm), TimerFunctions.functions(vm), SharedDataFunctions.functions(vm),
                SharedQueueFunctions.functions(vm), MetricFunctions.functions(vm),
                UnimplementedFunctions.functions(vm), ForeignFunctions.functions(vm))) {
            for (HostCall call : area) {
                all.put(call.name(), call);
            }
        }
        return all;
    }
}
