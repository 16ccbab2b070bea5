package io.wasmgateway.host.vm;

import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.ValType;

import io.wasmgateway.host.AbiVersion;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The exact signature the host calls each proxy_on_* export (and the allocator and start functions) with, per
 * ABI version, as proxy-wasm-cpp-host declares them ({@code include/proxy-wasm/wasm.h}). A module exporting one
 * of them with another signature is refused at load, naming the export, as cpp-host refuses it ("Bad function
 * signature for: ..."), instead of calling it with arguments padded or cut.
 */
final class CallbackSignatures {

    private static final Map<String, FunctionType> COMMON = new HashMap<>();

    private static final Map<String, FunctionType> V0_1_0 = new HashMap<>();

    private static final Map<String, FunctionType> V0_2_X = new HashMap<>();

    static {
        // start-up and memory (main is left out: StartFunctions calls it with however many zeros it declares)
        COMMON.put("_initialize", type(0, false));
        COMMON.put("_start", type(0, false));
        COMMON.put("malloc", type(1, true));
        COMMON.put("proxy_on_memory_allocate", type(1, true));
        // root context
        COMMON.put("proxy_on_context_create", type(2, false));
        COMMON.put("proxy_on_vm_start", type(2, true));
        COMMON.put("proxy_on_validate_configuration", type(2, true));
        COMMON.put("proxy_on_configure", type(2, true));
        COMMON.put("proxy_on_tick", type(1, false));
        COMMON.put("proxy_on_queue_ready", type(2, false));
        COMMON.put("proxy_on_foreign_function", type(3, false));
        // every context
        COMMON.put("proxy_on_done", type(1, true));
        COMMON.put("proxy_on_log", type(1, false));
        COMMON.put("proxy_on_delete", type(1, false));
        // HTTP streams
        COMMON.put("proxy_on_request_body", type(3, true));
        COMMON.put("proxy_on_request_trailers", type(2, true));
        COMMON.put("proxy_on_request_metadata", type(2, true));
        COMMON.put("proxy_on_response_body", type(3, true));
        COMMON.put("proxy_on_response_trailers", type(2, true));
        COMMON.put("proxy_on_response_metadata", type(2, true));
        // TCP streams
        COMMON.put("proxy_on_new_connection", type(1, true));
        COMMON.put("proxy_on_downstream_data", type(3, true));
        COMMON.put("proxy_on_upstream_data", type(3, true));
        COMMON.put("proxy_on_downstream_connection_close", type(2, false));
        COMMON.put("proxy_on_upstream_connection_close", type(2, false));
        // outbound calls' answers
        COMMON.put("proxy_on_http_call_response", type(5, false));
        COMMON.put("proxy_on_grpc_receive_initial_metadata", type(3, false));
        COMMON.put("proxy_on_grpc_receive", type(3, false));
        COMMON.put("proxy_on_grpc_receive_trailing_metadata", type(3, false));
        COMMON.put("proxy_on_grpc_close", type(3, false));

        // 0.1.0: header callbacks without end_of_stream, and gRPC's initial metadata callback
        V0_1_0.put("proxy_on_request_headers", type(2, true));
        V0_1_0.put("proxy_on_response_headers", type(2, true));
        V0_1_0.put("proxy_on_grpc_create_initial_metadata", type(3, false));
        // 0.2.x: header callbacks with end_of_stream
        V0_2_X.put("proxy_on_request_headers", type(3, true));
        V0_2_X.put("proxy_on_response_headers", type(3, true));
    }

    private CallbackSignatures() {
    }

    /** The signature the host expects of an export for an ABI, or null when the host never calls it. */
    static FunctionType expected(AbiVersion abi, String exportName) {
        FunctionType specific = (abi.isLegacy() ? V0_1_0 : V0_2_X).get(exportName);
        return specific != null ? specific : COMMON.get(exportName);
    }

    /** @throws LoadProblem naming the first export whose signature differs from what the host calls it with */
    static void check(WasmModule module, AbiVersion abi) {
        List<FunctionType> functionTypes = functionTypes(module);
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < module.exportSection().exportCount(); i++) {
            Export export = module.exportSection().getExport(i);
            if (export.exportType() != ExternalType.FUNCTION) {
                continue;
            }
            FunctionType want = expected(abi, export.name());
            FunctionType has = export.index() < functionTypes.size() ? functionTypes.get(export.index()) : null;
            if (want != null && !want.equals(has)) {
                problems.add(export.name() + ", want: " + describe(want) + ", but the module exports: "
                        + (has == null ? "?" : describe(has)));
            }
        }
        if (!problems.isEmpty()) {
            Collections.sort(problems);
            throw new LoadProblem("bad function signature for: " + String.join("; ", problems));
        }
    }

    // function index space: imported functions first, then the module's own
    private static List<FunctionType> functionTypes(WasmModule module) {
        List<FunctionType> types = new ArrayList<>();
        for (int i = 0; i < module.importSection().importCount(); i++) {
            Import imported = module.importSection().getImport(i);
            if (imported.importType() == ExternalType.FUNCTION) {
                types.add(module.typeSection().getType(((FunctionImport) imported).typeIndex()));
            }
        }
        for (int i = 0; i < module.functionSection().functionCount(); i++) {
            types.add(module.typeSection().getType(module.functionSection().getFunctionType(i)));
        }
        return types;
    }

    private static FunctionType type(int i32Params, boolean i32Result) {
        return FunctionType.of(Collections.nCopies(i32Params, ValType.I32),
                i32Result ? List.of(ValType.I32) : List.of());
    }

    private static String describe(FunctionType type) {
        return type.params() + " -> " + type.returns();
    }
}
