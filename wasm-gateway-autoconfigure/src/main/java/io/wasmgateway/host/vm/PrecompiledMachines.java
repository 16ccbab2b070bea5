package io.wasmgateway.host.vm;

import com.dylibso.chicory.runtime.CompiledModule;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.WasmModule;

import java.util.function.Function;

/**
 * Machines of a module compiled at build time by Chicory's compiler Maven plugin
 * ({@code com.dylibso.chicory:chicory-compiler-maven-plugin}, goal {@code compile}): the generated class
 * implements {@link CompiledModule}, and its machine factory replaces compiling at load time. The class must be
 * generated from the very module loaded; the shapes of both are compared so that a stale class is refused
 * instead of running the wrong code.
 */
final class PrecompiledMachines {

    private PrecompiledMachines() {
    }

    static Function<Instance, Machine> load(String className, WasmModule module) {
        CompiledModule compiled;
        try {
            Class<?> type = Class.forName(className, true, classLoader());
            compiled = (CompiledModule) type.getConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            throw new LoadProblem("precompiled class " + className + " is not on the classpath", e);
        } catch (ClassCastException e) {
            throw new LoadProblem("precompiled class " + className + " is not a Chicory CompiledModule", e);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new LoadProblem("precompiled class " + className + " cannot be created: " + e, e);
        }
        String mismatch = mismatch(compiled.wasmModule(), module);
        if (mismatch != null) {
            throw new LoadProblem("precompiled class " + className + " was not generated from this module ("
                    + mismatch + ")");
        }
        return compiled.machineFactory();
    }

    /** What differs between the module the class was generated from and the loaded one, or null. */
    private static String mismatch(WasmModule generatedFrom, WasmModule loaded) {
        if (generatedFrom.importSection().importCount() != loaded.importSection().importCount()) {
            return "imports differ";
        }
        if (generatedFrom.functionSection().functionCount() != loaded.functionSection().functionCount()) {
            return "function counts differ";
        }
        if (generatedFrom.typeSection().typeCount() != loaded.typeSection().typeCount()) {
            return "type counts differ";
        }
        int exports = loaded.exportSection().exportCount();
        if (generatedFrom.exportSection().exportCount() != exports) {
            return "exports differ";
        }
        for (int i = 0; i < exports; i++) {
            if (!generatedFrom.exportSection().getExport(i).name().equals(loaded.exportSection().getExport(i).name())) {
                return "exports differ";
            }
        }
        return null;
    }

    private static ClassLoader classLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : PrecompiledMachines.class.getClassLoader();
    }
}
