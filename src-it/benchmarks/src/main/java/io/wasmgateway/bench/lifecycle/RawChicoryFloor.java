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

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The floor: the least a host can do to run a filter's request lifecycle on Chicory. The same guest calls as
 * our host (context create, request headers, response headers, done, log, delete), host functions that do
 * just what these filters need on plain byte-array header lists, no contexts, lanes, futures, limits or
 * logging; every other import linked with the least answer (see {@link #handle}). Not a usable host: a ruler.
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
    private final boolean answersLocally;
    private static final byte[] ROOT_ID_PATH = "plugin_root_id".getBytes(StandardCharsets.UTF_8);
    private static final byte[] METADATA_PATH = String.join("\0", BenchFilter.METADATA_PATH)
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] METADATA = BenchFilter.METADATA_VALUE.getBytes(StandardCharsets.UTF_8);

    /** The last local response: status, serialized headers (null for none) and body. */
    int localStatus;
    byte[] localHeaders;
    byte[] localBody;
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
        this.answersLocally = filter.answersLocally();
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
        if (!answersLocally) { // a local response: the upstream is never asked
            action += onResponseHeaders.apply(id, responseNames.size(), 0)[0];
        }
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
            WasmFunctionHandle handle = handle(wanted.name());
            functions.add(new HostFunction(wanted.module(), wanted.name(), type,
                    type.returns().isEmpty() ? (inst, args) -> {
                        handle.apply(inst, args);
                        return null;
                    } : handle));
        }
        return ImportValues.builder().withFunctions(functions).build();
    }

    private static final long[] OK = {0};
    private static final long[] NOT_FOUND = {1};
    private static final long[] UNIMPLEMENTED = {12};
    private static final long[] WASI_BADF = {8};
    private static final long[] WASI_NOSYS = {52};

    /**
     * Every import of the benchmark's modules, each the least that lets them run: the calls these filters make
     * do their job on plain lists; the WASI calls that the Go and Rust runtimes make at start-up answer as an
     * empty sandbox would (no arguments, no environment, no preopened directories); the rest answer
     * UNIMPLEMENTED (proxy_*) or ENOSYS (WASI), as the filters never call them here.
     */
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
            case "proxy_get_header_map_pairs" -> (inst, args) -> returnPairs(inst, names(args[0]), values(args[0]),
                    args[1], args[2]);
            case "proxy_get_buffer_bytes" -> (inst, args) -> returnBytes(inst, configuration, args[3], args[4]);
            case "proxy_get_property" -> (inst, args) -> {
                byte[] path = read(inst, args[0], args[1]);
                return Arrays.equals(path, METADATA_PATH) ? returnBytes(inst, METADATA, args[2], args[3])
                        : Arrays.equals(path, ROOT_ID_PATH) ? returnBytes(inst, rootId, args[2], args[3]) : NOT_FOUND;
            };
            // (status, details ptr, size, body ptr, size, header pairs ptr, size, grpc status)
            case "proxy_send_local_response" -> (inst, args) -> {
                localStatus = (int) args[0];
                localBody = read(inst, args[3], args[4]);
                localHeaders = read(inst, args[5], args[6]);
                return OK;
            };
            case "proxy_log", "proxy_set_effective_context", "proxy_get_log_level" -> (inst, args) -> OK;
            case "fd_write" -> (inst, args) -> {
                Memory memory = inst.memory();
                int written = 0;
                for (int i = 0; i < (int) args[2]; i++) {
                    written += memory.readInt((int) args[1] + 8 * i + 4);
                }
                memory.writeI32((int) args[3], written);
                return OK;
            };
            case "fd_read" -> (inst, args) -> { // end of file
                inst.memory().writeI32((int) args[3], 0);
                return OK;
            };
            case "args_sizes_get", "environ_sizes_get" -> (inst, args) -> {
                inst.memory().writeI32((int) args[0], 0);
                inst.memory().writeI32((int) args[1], 0);
                return OK;
            };
            case "clock_time_get" -> (inst, args) -> {
                long now = args[0] == 0 ? System.currentTimeMillis() * 1_000_000L : System.nanoTime();
                inst.memory().writeLong((int) args[2], now);
                return OK;
            };
            case "random_get" -> (inst, args) -> {
                byte[] random = new byte[(int) args[1]];
                ThreadLocalRandom.current().nextBytes(random);
                inst.memory().write((int) args[0], random);
                return OK;
            };
            case "fd_fdstat_get" -> (inst, args) -> { // a character device, no rights asked for
                Memory memory = inst.memory();
                memory.writeLong((int) args[1], 2);
                memory.writeLong((int) args[1] + 8, 0);
                memory.writeLong((int) args[1] + 16, 0);
                return OK;
            };
            case "poll_oneoff" -> (inst, args) -> { // Go sleeps with it; nothing to wait for here
                inst.memory().writeI32((int) args[3], 0);
                return OK;
            };
            case "fd_prestat_get", "fd_prestat_dir_name" -> (inst, args) -> WASI_BADF; // no preopened directories
            case "args_get", "environ_get", "sched_yield", "fd_close", "fd_fdstat_set_flags",
                    "emscripten_notify_memory_growth" -> (inst, args) -> OK;
            case "proc_exit" -> (inst, args) -> {
                throw new IllegalStateException("proc_exit(" + args[0] + ")");
            };
            default -> name.startsWith("proxy_") ? (inst, args) -> UNIMPLEMENTED : (inst, args) -> WASI_NOSYS;
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
        if (data.length == 0) { // as cpp-host: no allocation for an empty value (Go's allocator panics on 0)
            inst.memory().writeI32((int) ptrSlot, 0);
            inst.memory().writeI32((int) sizeSlot, 0);
            return OK;
        }
        int address = (int) malloc.apply(data.length)[0];
        Memory memory = inst.memory();
        memory.write(address, data);
        memory.writeI32((int) ptrSlot, address);
        memory.writeI32((int) sizeSlot, data.length);
        return OK;
    }

    /** The map in Proxy-Wasm's pair serialization, written straight into one guest allocation. */
    private long[] returnPairs(Instance inst, List<byte[]> names, List<byte[]> values, long ptrSlot, long sizeSlot) {
        int size = 4 + 8 * names.size();
        for (int i = 0; i < names.size(); i++) {
            size += names.get(i).length + values.get(i).length + 2;
        }
        int address = (int) malloc.apply(size)[0];
        Memory memory = inst.memory();
        memory.writeI32(address, names.size());
        int lengths = address + 4;
        int data = lengths + 8 * names.size();
        for (int i = 0; i < names.size(); i++) {
            byte[] key = names.get(i);
            byte[] value = values.get(i);
            memory.writeI32(lengths, key.length);
            memory.writeI32(lengths + 4, value.length);
            lengths += 8;
            memory.write(data, key);
            data += key.length;
            memory.writeByte(data++, (byte) 0);
            memory.write(data, value);
            data += value.length;
            memory.writeByte(data++, (byte) 0);
        }
        memory.writeI32((int) ptrSlot, address);
        memory.writeI32((int) sizeSlot, size);
        return OK;
    }

    /** The last local response's status and headers (decoded from the pair serialization), null for none. */
    Map<String, String> localResponse() {
        if (localHeaders == null) {
            return null;
        }
        ByteBuffer pairs = ByteBuffer.wrap(localHeaders).order(ByteOrder.LITTLE_ENDIAN);
        Map<String, String> map = new LinkedHashMap<>();
        map.put(":status", String.valueOf(localStatus));
        int count = localHeaders.length == 0 ? 0 : pairs.getInt(0);
        int data = 4 + 8 * count;
        for (int i = 0; i < count; i++) {
            int keyLength = pairs.getInt(4 + 8 * i);
            int valueLength = pairs.getInt(8 + 8 * i);
            String key = new String(localHeaders, data, keyLength, StandardCharsets.UTF_8);
            data += keyLength + 1;
            map.put(key, new String(localHeaders, data, valueLength, StandardCharsets.UTF_8));
            data += valueLength + 1;
        }
        return map;
    }

    /** Linear memory of the instance, in bytes. */
    long memoryBytes() {
        return instance.memory().pages() * 65536L;
    }

    private static byte[] read(Instance inst, long ptr, long size) {
        return inst.memory().readBytes((int) ptr, (int) size);
    }
}
