package io.wasmgateway.bench.lifecycle;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.WasmFunctionHandle;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The floor: the least a host can do to run a filter's request lifecycle on Chicory. The same guest calls as
 * our host (context create, request headers, response headers, done, log, delete), host functions that do
 * just what these filters need on plain byte-array header lists, no contexts, lanes, futures, limits or
 * logging. Not a usable host: a ruler.
 */
final class RawChicoryFloor {

    private final Set<String> exports = new HashSet<>();
    private final Instance instance;
    private final ExportFunction malloc;
    private final ExportFunction onContextCreate;
    private final ExportFunction onRequestHeaders;
    private final ExportFunction onResponseHeaders;
    private final ExportFunction onDone;
    private final ExportFunction onLog;
    private final ExportFunction onDelete;
    private final byte[] rootId;
    private final byte[] configuration;
    private final int rootContext = 1;
    private int lastContext = 1;

    final List<byte[]> requestNames = new ArrayList<>();
    final List<byte[]> requestValues = new ArrayList<>();
    final List<byte[]> responseNames = new ArrayList<>();
    final List<byte[]> responseValues = new ArrayList<>();

    RawChicoryFloor(BenchFilter filter) {
        WasmModule module = Parser.parse(filter.wasm());
        this.rootId = filter.rootId().getBytes(StandardCharsets.UTF_8);
        this.configuration = filter.configuration();
        this.instance = Instance.builder(module)
                .withImportValues(imports(module))
                .withMachineFactory(MachineFactoryCompiler.compile(module))
                .withMemoryFactory(ByteArrayMemory::new)
                .withStart(true) // the AssemblyScript module's start function
                .build();
        for (int i = 0; i < module.exportSection().exportCount(); i++) {
            exports.add(module.exportSection().getExport(i).name());
        }
        if (exports.contains("_initialize")) {
            instance.export("_initialize").apply();
        }
        ExportFunction allocator = export("proxy_on_memory_allocate");
        this.malloc = allocator != null ? allocator : export("malloc");
        this.onContextCreate = export("proxy_on_context_create");
        this.onRequestHeaders = export("proxy_on_request_headers");
        this.onResponseHeaders = export("proxy_on_response_headers");
        this.onDone = export("proxy_on_done");
        this.onLog = export("proxy_on_log");
        this.onDelete = export("proxy_on_delete");
        onContextCreate.apply(rootContext, 0);
        export("proxy_on_vm_start").apply(rootContext, 0);
        export("proxy_on_configure").apply(rootContext, configuration.length);
    }

    /** One request: every callback the host makes, in order. */
    long request() {
        int id = ++lastContext;
        onContextCreate.apply(id, rootContext);
        long action = onRequestHeaders.apply(id, requestNames.size(), 0)[0];
        action += onResponseHeaders.apply(id, responseNames.size(), 0)[0];
        onDone.apply(id);
        onLog.apply(id);
        onDelete.apply(id);
        return action;
    }

    /** Puts the headers back as they were before the filter ran, without allocating. */
    void reset(byte[][] request, byte[][] response) {
        fill(requestNames, requestValues, request);
        fill(responseNames, responseValues, response);
    }

    static byte[][] encode(List<Map.Entry<String, String>> headers) {
        byte[][] flat = new byte[headers.size() * 2][];
        for (int i = 0; i < headers.size(); i++) {
            flat[2 * i] = headers.get(i).getKey().getBytes(StandardCharsets.ISO_8859_1);
            flat[2 * i + 1] = headers.get(i).getValue().getBytes(StandardCharsets.ISO_8859_1);
        }
        return flat;
    }

    static Map<String, String> asMap(List<byte[]> names, List<byte[]> values) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            map.put(new String(names.get(i), StandardCharsets.ISO_8859_1),
                    new String(values.get(i), StandardCharsets.ISO_8859_1));
        }
        return map;
    }

    private static void fill(List<byte[]> names, List<byte[]> values, byte[][] flat) {
        names.clear();
        values.clear();
        for (int i = 0; i < flat.length; i += 2) {
            names.add(flat[i]);
            values.add(flat[i + 1]);
        }
    }

    private ExportFunction export(String name) {
        return exports.contains(name) ? instance.export(name) : null;
    }

    private ImportValues imports(WasmModule module) {
        List<ImportFunction> functions = new ArrayList<>();
        for (int i = 0; i < module.importSection().importCount(); i++) {
            Import wanted = module.importSection().getImport(i);
            FunctionType type = module.typeSection().getType(((FunctionImport) wanted).typeIndex());
            functions.add(new HostFunction(wanted.module(), wanted.name(), type, handle(wanted.name())));
        }
        return ImportValues.builder().withFunctions(functions).build();
    }

    private static final long[] OK = {0};

    private WasmFunctionHandle handle(String name) {
        return switch (name) {
            case "proxy_add_header_map_value" -> (inst, args) -> {
                names(args[0]).add(read(inst, args[1], args[2]));
                values(args[0]).add(read(inst, args[3], args[4]));
                return OK;
            };
            case "proxy_replace_header_map_value" -> (inst, args) -> {
                remove(inst, args);
                names(args[0]).add(read(inst, args[1], args[2]));
                values(args[0]).add(read(inst, args[3], args[4]));
                return OK;
            };
            case "proxy_remove_header_map_value" -> (inst, args) -> {
                remove(inst, args);
                return OK;
            };
            case "proxy_get_buffer_bytes" -> (inst, args) -> returnBytes(inst, configuration, args[3], args[4]);
            case "proxy_get_property" -> (inst, args) -> returnBytes(inst, rootId, args[2], args[3]);
            case "fd_write" -> (inst, args) -> {
                Memory memory = inst.memory();
                int written = 0;
                for (int i = 0; i < (int) args[2]; i++) {
                    written += memory.readInt((int) args[1] + 8 * i + 4);
                }
                memory.writeI32((int) args[3], written);
                return OK;
            };
            case "proc_exit" -> (inst, args) -> {
                throw new IllegalStateException("proc_exit(" + args[0] + ")");
            };
            default -> (inst, args) -> OK; // proxy_log, proxy_set_effective_context, fd_close ...
        };
    }

    private List<byte[]> names(long mapType) {
        return mapType == 0 ? requestNames : responseNames;
    }

    private List<byte[]> values(long mapType) {
        return mapType == 0 ? requestValues : responseValues;
    }

    private void remove(Instance inst, long[] args) {
        byte[] key = read(inst, args[1], args[2]);
        List<byte[]> names = names(args[0]);
        for (int i = names.size() - 1; i >= 0; i--) {
            if (Arrays.equals(names.get(i), key)) {
                names.remove(i);
                values(args[0]).remove(i);
            }
        }
    }

    private long[] returnBytes(Instance inst, byte[] data, long ptrSlot, long sizeSlot) {
        int address = (int) malloc.apply(data.length)[0];
        Memory memory = inst.memory();
        memory.write(address, data);
        memory.writeI32((int) ptrSlot, address);
        memory.writeI32((int) sizeSlot, data.length);
        return OK;
    }

    private static byte[] read(Instance inst, long ptr, long size) {
        return inst.memory().readBytes((int) ptr, (int) size);
    }
}
