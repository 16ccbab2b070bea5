package io.wasmgateway.host.abi;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.WasmFunctionHandle;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;

/**
 * One host function as the host defines it, not yet bound to an import module name: its name, its exact
 * signature and its implementation. The linker gives it the module name the guest imports it from.
 */
public record HostCall(String name, FunctionType type, WasmFunctionHandle handle) {

    /** The body of a status-returning host function; arguments are the raw i32 values. */
    @FunctionalInterface
    public interface StatusBody {
        int call(long[] args);
    }

    /**
     * A host function of {@code params} i32 parameters returning an i32 status. No Java exception leaves it:
     * a bad guest pointer answers INVALID_MEMORY_ACCESS, any other host failure INTERNAL_FAILURE (logged);
     * only Chicory exceptions (a trap in a nested guest call such as the allocator) propagate as traps.
     */
    public static HostCall status(String name, int params, Logger log, StatusBody body) {
        return status(name, i32s(params), log, body);
    }

    public static HostCall status(String name, FunctionType type, Logger log, StatusBody body) {
        WasmFunctionHandle handle = (Instance instance, long... args) -> result(guard(name, log, body, args));
        return new HostCall(name, type, handle);
    }

    // Chicory only reads a host function's result array: the common statuses share one each (no allocation
    // per host call).
    private static final long[][] STATUS_RESULTS = new long[16][];

    static {
        for (int status = 0; status < STATUS_RESULTS.length; status++) {
            STATUS_RESULTS[status] = new long[] {status};
        }
    }

    private static long[] result(int status) {
        return status >= 0 && status < STATUS_RESULTS.length ? STATUS_RESULTS[status] : new long[] {status};
    }

    private static int guard(String name, Logger log, StatusBody body, long[] args) {
        try {
            return body.call(args);
        } catch (InvalidMemoryAccess e) {
            return Status.INVALID_MEMORY_ACCESS;
        } catch (ChicoryException e) {
            throw e;
        } catch (RuntimeException e) {
            log.warn("host function {} failed", name, e);
            return Status.INTERNAL_FAILURE;
        }
    }

    /** n i32 parameters, one i32 result. */
    public static FunctionType i32s(int params) {
        List<ValType> types = new ArrayList<>(params);
        for (int i = 0; i < params; i++) {
            types.add(ValType.I32);
        }
        return FunctionType.of(types, List.of(ValType.I32));
    }

    /** The i-th argument as the guest's i32. */
    public static int arg(long[] args, int index) {
        return (int) args[index];
    }
}
