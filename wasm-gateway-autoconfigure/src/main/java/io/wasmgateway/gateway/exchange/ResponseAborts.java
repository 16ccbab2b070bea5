package io.wasmgateway.gateway.exchange;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.wasmgateway.host.BrokenInstanceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Responses cut in their body on purpose: their headers had gone out when a filter stopped the body, so the only
 * honest answer left is to close the connection (the client sees a body that did not end). Each one is logged with
 * its reason and counted in {@code wasm.response.aborted}, tagged module and reason.
 */
public class ResponseAborts {

    /** Logs but counts nothing: for gateways without Micrometer. */
    public static final ResponseAborts NONE = new ResponseAborts(null);

    private static final Logger log = LoggerFactory.getLogger(ResponseAborts.class);

    /** Why a response was cut; the metric's reason tag is the lower-case, hyphenated name. */
    enum Reason {

        /** The filter's own body callback trapped or ran past its budget. */
        TRAP,
        /** The filter's VM instance broke on another callback's trap (shared instances): its state is lost. */
        INSTANCE_BROKEN,
        /** The filter asked for a local response after the response had started. */
        LOCAL_RESPONSE,
        /** The filter held more than max-buffered-body after the response had started. */
        TOO_LARGE,
        /** The filter changed the length of a body whose Content-Length had gone out. */
        LENGTH_CHANGED;

        String tag() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static Reason of(BodyInterruption stop) {
            return switch (stop.kind()) {
                case LOCAL_RESPONSE -> LOCAL_RESPONSE;
                case TOO_LARGE -> TOO_LARGE;
                case LENGTH_CHANGED -> LENGTH_CHANGED;
                case FAILED -> brokenUnder(stop.getCause()) ? INSTANCE_BROKEN : TRAP;
            };
        }

        private static boolean brokenUnder(Throwable cause) {
            for (Throwable t = cause; t != null; t = t.getCause()) {
                if (t instanceof BrokenInstanceException) {
                    return true;
                }
            }
            return false;
        }
    }

    private final MeterRegistry registry;

    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public ResponseAborts(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Logs and counts a response cut because its body stopped in a filter after the headers went out. */
    void record(BodyInterruption stop, String route) {
        String module = stop.stream() != null ? stop.stream().module() : "?";
        Reason reason = Reason.of(stop);
        log.error("wasm module '{}' on route '{}': the response was aborted after its headers went out ({}): the "
                + "body {}; the connection is closed so that the client sees an incomplete body", module, route,
                reason.tag(), stop.getMessage());
        if (registry != null) {
            counters.computeIfAbsent(module + '\0' + reason.tag(), key -> Counter.builder("wasm.response.aborted")
                .description("Responses whose body a wasm filter stopped after their headers had gone out")
                .tag("module", module)
                .tag("reason", reason.tag())
                .register(registry)).increment();
        }
    }
}
