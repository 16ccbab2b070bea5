package io.wasmgateway.host.abi;

import static io.wasmgateway.host.abi.HostCall.arg;

import io.wasmgateway.host.MetricSink;

import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * proxy_define_metric, proxy_increment_metric, proxy_record_metric and proxy_get_metric. Ids are this VM's
 * (defining a name again returns its id); the metric itself is the module's, shared by all its instances, kept
 * by the proxy's {@link MetricSink}. As in Envoy ({@code Context::incrementMetric}, {@code recordMetric},
 * {@code getMetric}): a counter takes only positive increments (0 and below are BAD_ARGUMENT) and recording on
 * it adds; a gauge holds the last value recorded and an increment adds or subtracts; a histogram only records
 * values, so incrementing or reading one is BAD_ARGUMENT.
 */
final class MetricFunctions {

    private record Defined(MetricSink.Type type, MetricSink.Metric metric) {
    }

    private MetricFunctions() {
    }

    static List<HostCall> functions(AbiVm vm) {
        Map<String, Integer> idsByName = new HashMap<>(); // lane, like every host call of this VM
        List<Defined> metrics = new ArrayList<>();
        FunctionType idAndI64 = FunctionType.of(List.of(ValType.I32, ValType.I64), List.of(ValType.I32));
        return List.of(
                // (metric_type, name_ptr, name_size, return_id_ptr)
                HostCall.status("proxy_define_metric", 4, vm.logger(), args -> {
                    MetricSink.Type type = MetricSink.Type.ofAbi(arg(args, 0));
                    GuestMemory memory = vm.memory();
                    if (!memory.contains(arg(args, 3), 4)) {
                        return Status.INVALID_MEMORY_ACCESS;
                    }
                    if (type == null || Integer.compareUnsigned(arg(args, 2), Limits.MAX_SHARED_KEY_BYTES) > 0) {
                        return Status.BAD_ARGUMENT;
                    }
                    String name = memory.readString(arg(args, 1), arg(args, 2), StandardCharsets.UTF_8);
                    String key = type + ":" + name; // the same name may be a counter and a gauge
                    Integer id = idsByName.get(key);
                    if (id == null) {
                        if (metrics.size() >= Limits.MAX_METRICS_PER_VM) {
                            return Status.INTERNAL_FAILURE;
                        }
                        metrics.add(new Defined(type, vm.services().metrics().define(vm.moduleName(), type, name)));
                        id = metrics.size(); // ids start at 1
                        idsByName.put(key, id);
                    }
                    memory.writeU32(arg(args, 3), id);
                    return Status.OK;
                }),
                // (metric_id, i64 offset)
                HostCall.status("proxy_increment_metric", idAndI64, vm.logger(), args -> {
                    Defined defined = find(metrics, arg(args, 0));
                    if (defined == null) {
                        return Status.NOT_FOUND;
                    }
                    long offset = args[1];
                    boolean allowed = switch (defined.type()) {
                        case COUNTER -> offset > 0;
                        case GAUGE -> true;
                        case HISTOGRAM -> false;
                    };
                    if (!allowed) {
                        return Status.BAD_ARGUMENT;
                    }
                    defined.metric().increment(offset);
                    return Status.OK;
                }),
                // (metric_id, u64 value)
                HostCall.status("proxy_record_metric", idAndI64, vm.logger(), args -> {
                    Defined defined = find(metrics, arg(args, 0));
                    if (defined == null) {
                        return Status.NOT_FOUND;
                    }
                    defined.metric().record(args[1]);
                    return Status.OK;
                }),
                // (metric_id, return_value_ptr)
                HostCall.status("proxy_get_metric", 2, vm.logger(), args -> {
                    Defined defined = find(metrics, arg(args, 0));
                    if (!vm.memory().contains(arg(args, 1), 8)) {
                        return Status.INVALID_MEMORY_ACCESS;
                    }
                    if (defined == null) {
                        return Status.NOT_FOUND;
                    }
                    if (defined.type() == MetricSink.Type.HISTOGRAM) {
                        return Status.BAD_ARGUMENT; // Envoy cannot read a histogram back
                    }
                    vm.memory().writeU64(arg(args, 1), defined.metric().value());
                    return Status.OK;
                }));
    }

    private static Defined find(List<Defined> metrics, int id) {
        return id >= 1 && id <= metrics.size() ? metrics.get(id - 1) : null;
    }
}
