package io.wasmgateway.host.vm;

import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.types.FunctionType;

import java.util.Arrays;
import java.util.Set;

/**
 * The proxy_on_* exports of one instance. Each is called with as many arguments as it declares (so 0.1.0's
 * two-argument header callbacks and 0.2.x's three-argument ones both work) and a missing one is skipped.
 */
final class GuestCallbacks {

    /** The proxy_on_* callbacks the host calls, by export name; an instance keeps their exports by ordinal. */
    enum Callback {
        CONTEXT_CREATE("proxy_on_context_create"),
        VM_START("proxy_on_vm_start"),
        CONFIGURE("proxy_on_configure"),
        REQUEST_HEADERS("proxy_on_request_headers"),
        RESPONSE_HEADERS("proxy_on_response_headers"),
        REQUEST_BODY("proxy_on_request_body"),
        RESPONSE_BODY("proxy_on_response_body"),
        DONE("proxy_on_done"),
        LOG("proxy_on_log"),
        DELETE("proxy_on_delete"),
        HTTP_CALL_RESPONSE("proxy_on_http_call_response"),
        TICK("proxy_on_tick"),
        QUEUE_READY("proxy_on_queue_ready"),
        GRPC_RECEIVE_INITIAL_METADATA("proxy_on_grpc_receive_initial_metadata"),
        GRPC_RECEIVE("proxy_on_grpc_receive"),
        GRPC_RECEIVE_TRAILING_METADATA("proxy_on_grpc_receive_trailing_metadata"),
        GRPC_CLOSE("proxy_on_grpc_close"),
        REDIS_CALL_RESPONSE("proxy_on_redis_call_response");

        private static final Callback[] ALL = values();

        private final String exportName;

        Callback(String exportName) {
            this.exportName = exportName;
        }

        String exportName() {
            return exportName;
        }

        @Override
        public String toString() {
            return exportName;
        }
    }

    static final Callback ON_CONTEXT_CREATE = Callback.CONTEXT_CREATE;
    static final Callback ON_VM_START = Callback.VM_START;
    static final Callback ON_CONFIGURE = Callback.CONFIGURE;
    static final Callback ON_REQUEST_HEADERS = Callback.REQUEST_HEADERS;
    static final Callback ON_RESPONSE_HEADERS = Callback.RESPONSE_HEADERS;
    static final Callback ON_REQUEST_BODY = Callback.REQUEST_BODY;
    static final Callback ON_RESPONSE_BODY = Callback.RESPONSE_BODY;
    static final Callback ON_DONE = Callback.DONE;
    static final Callback ON_LOG = Callback.LOG;
    static final Callback ON_DELETE = Callback.DELETE;
    static final Callback ON_HTTP_CALL_RESPONSE = Callback.HTTP_CALL_RESPONSE;
    static final Callback ON_TICK = Callback.TICK;
    static final Callback ON_QUEUE_READY = Callback.QUEUE_READY;
    static final Callback ON_REDIS_CALL_RESPONSE = Callback.REDIS_CALL_RESPONSE;

    private record Export(ExportFunction function, int params, boolean hasResult) {
    }

    private final Export[] exports = new Export[Callback.ALL.length];

    GuestCallbacks(Instance instance, Set<String> functionExports) {
        for (Callback callback : Callback.ALL) {
            String name = callback.exportName();
            if (functionExports.contains(name)) {
                FunctionType type = instance.exportType(name);
                exports[callback.ordinal()] = new Export(instance.export(name), type.params().size(),
                        !type.returns().isEmpty());
            }
        }
    }

    boolean exports(Callback callback) {
        return exports[callback.ordinal()] != null;
    }

    /**
     * Calls the export with its declared number of arguments (extra ones dropped, missing ones 0).
     *
     * @return its i32 result, or null when it is not exported or returns nothing
     */
    Integer call(Callback callback, long... args) {
        Export export = exports[callback.ordinal()];
        if (export == null) {
            return null;
        }
        long[] actual = args.length == export.params() ? args : Arrays.copyOf(args, export.params());
        long[] result = export.function().apply(actual);
        return export.hasResult() && result != null && result.length > 0 ? (int) result[0] : null;
    }
}
