package io.wasmgateway.gateway.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.wasmgateway.host.CallbackObserver;

/**
 * The host's own metrics: {@code wasm.callback.duration} (timer, tags module and callback), {@code wasm.traps}
 * (counter, module and callback), {@code wasm.local.responses} (counter, module and status) and
 * {@code wasm.requests} (counter, module) and {@code wasm.vm.recycled} (counter, module and reason). Meters are looked up in nested maps keyed by the strings the host
 * already holds, so a callback costs no allocation once its meter exists.
 */
public class MicrometerCallbackObserver implements CallbackObserver {

    private final MeterRegistry registry;

    private final Map<String, Map<String, Timer>> durations = new ConcurrentHashMap<>();

    private final Map<String, Map<String, Counter>> traps = new ConcurrentHashMap<>();

    private final Map<String, Map<Integer, Counter>> localResponses = new ConcurrentHashMap<>();

    private final Map<String, Counter> requests = new ConcurrentHashMap<>();

    private final Map<String, Map<String, Counter>> recycled = new ConcurrentHashMap<>();

    public MicrometerCallbackObserver(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void callback(String module, String callback, long nanos, boolean trapped) {
        // get before computeIfAbsent: the lambda that registers a meter captures the tags, so it would be
        // allocated on every callback although the meter exists after the first
        Map<String, Timer> byCallback = durations.get(module);
        Timer timer = byCallback != null ? byCallback.get(callback) : null;
        if (timer == null) {
            timer = durations.computeIfAbsent(module, m -> new ConcurrentHashMap<>())
                .computeIfAbsent(callback, c -> Timer.builder("wasm.callback.duration")
                    .description("Time spent in a Proxy-Wasm callback")
                    .tag("module", module)
                    .tag("callback", callback)
                    .register(registry));
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
        if (trapped) {
            traps.computeIfAbsent(module, m -> new ConcurrentHashMap<>())
                .computeIfAbsent(callback, c -> Counter.builder("wasm.traps")
                    .description("Callbacks that trapped")
                    .tag("module", module)
                    .tag("callback", callback)
                    .register(registry))
                .increment();
        }
    }

    @Override
    public void localResponse(String module, int status) {
        localResponses.computeIfAbsent(module, m -> new ConcurrentHashMap<>())
            .computeIfAbsent(status, s -> Counter.builder("wasm.local.responses")
                .description("Responses a filter sent itself (proxy_send_local_response)")
                .tag("module", module)
                .tag("status", Integer.toString(status))
                .register(registry))
            .increment();
    }

    @Override
    public void request(String module) {
        Counter counter = requests.get(module);
        if (counter == null) {
            counter = requests.computeIfAbsent(module, m -> Counter.builder("wasm.requests")
                .description("Requests that went through a filter of the module")
                .tag("module", module)
                .register(registry));
        }
        counter.increment();
    }

    @Override
    public void recycled(String module, String reason) {
        recycled.computeIfAbsent(module, m -> new ConcurrentHashMap<>())
            .computeIfAbsent(reason, r -> Counter.builder("wasm.vm.recycled")
                .description("VM instances replaced by fresh ones after their request count or their memory")
                .tag("module", module)
                .tag("reason", reason)
                .register(registry))
            .increment();
    }
}
