package io.wasmgateway.host.vm;

import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.types.FunctionType;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The proxy_on_* exports of one instance. Each is called with as many arguments as it declares (so 0.1.0's
 * two-argument header callbacks and 0.2.x's three-argument ones both work) and a missing one is skipped.
 */
final class GuestCallbacks {

    static final String ON_CONTEXT_CREATE = "proxy_on_context_create";
    static final String ON_VM_START = "proxy_on_vm_start";
    static final String ON_CONFIGURE = "proxy_on_configure";
    static final String ON_REQUEST_HEADERS = "proxy_on_request_headers";
    static final String ON_RESPONSE_HEADERS = "proxy_on_response_headers";
    static final String ON_REQUEST_BODY = "proxy_on_request_body";
    static final String ON_RESPONSE_BODY = "proxy_on_response_body";
    static final String ON_DONE = "proxy_on_done";
    static final String ON_LOG = "proxy_on_log";
    static final String ON_DELETE = "proxy_on_delete";
    static final String ON_HTTP_CALL_RESPONSE = "proxy_on_http_call_response";
    static final String ON_TICK = "proxy_on_tick";
    static final String ON_QUEUE_READY = "proxy_on_queue_ready";

    private static final Set<String> ALL = Set.of(ON_CONTEXT_CREATE, ON_VM_START, ON_CONFIGURE, ON_REQUEST_HEADERS,
            ON_RESPONSE_HEADERS, ON_REQUEST_BODY, ON_RESPONSE_BODY, ON_DONE, ON_LOG, ON_DELETE, ON_HTTP_CALL_RESPONSE, ON_TICK, ON_QUEUE_READY);

    private record Export(ExportFunction function, int params, boolean hasResult) {
    }

    private final Map<String, Export> exports = new HashMap<>();

    GuestCallbacks(Instance instance, Set<String> functionExports) {
        for (String name : ALL) {
            if (functionExports.contains(name)) {
                FunctionType type = instance.exportType(name);
                exports.put(name, new Export(instance.export(name), type.params().size(), !type.returns().isEmpty()));
            }
        }
    }

    boolean exports(String name) {
        return exports.containsKey(name);
    }

    /**
     * Calls the export with its declared number of arguments (extra ones dropped, missing ones 0).
     *
     * @return its i32 result, or null when it is not exported or returns nothing
     */
    Integer call(String name, long... args) {
        Export export = exports.get(name);
        if (export == null) {
            return null;
        }
        long[] actual = args.length == export.params() ? args : java.util.Arrays.copyOf(args, export.params());
        long[] result = export.function().apply(actual);
        return export.hasResult() && result != null && result.length > 0 ? (int) result[0] : null;
    }
}
