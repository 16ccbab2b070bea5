package io.wasmgateway.host.vm;

import com.dylibso.chicory.runtime.CompiledModule;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.ExportSection;
import com.dylibso.chicory.wasm.types.FunctionSection;
import com.dylibso.chicory.wasm.types.ImportSection;
import com.dylibso.chicory.wasm.types.SectionId;
import com.dylibso.chicory.wasm.types.TypeSection;

import java.io.ByteArrayInputStream;

/**
 * A module compiled at build time by Chicory's compiler Maven plugin
 * ({@code com.dylibso.chicory:chicory-compiler-maven-plugin}, goal {@code compile}): the generated class
 * implements {@link CompiledModule}; its module (everything but the code, parsed and validated at build time)
 * and its machine factory replace parsing and compiling at load time. The class must be generated from the very
 * module loaded: the module's signature sections (types, imports, functions, exports; not the code, which is
 * what takes time) are read from the bytes and compared, so that a stale class is refused instead of running
 * the wrong code.
 */
final class PrecompiledMachines {

    private PrecompiledMachines() {
    }

    static CompiledModule load(String className, byte[] bytes) {
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
        String mismatch = mismatch(compiled.wasmModule(), signatures(bytes));
        if (mismatch != null) {
            throw new LoadProblem("precompiled class " + className + " was not generated from this module ("
                    + mismatch + ")");
        }
        return compiled;
    }

    /** The sections that say what a module is, without its code (a WasmModule would insist on the code). */
    private static final class Signatures {
        TypeSection types = TypeSection.builder().build();
        ImportSection imports = ImportSection.builder().build();
        FunctionSection functions = FunctionSection.builder().build();
        ExportSection exports = ExportSection.builder().build();
    }

    /** The type, import, function and export sections of a binary, without reading its code. */
    private static Signatures signatures(byte[] bytes) {
        Signatures signatures = new Signatures();
        try {
            Parser.builder()
                    .includeSectionId(SectionId.TYPE)
                    .includeSectionId(SectionId.IMPORT)
                    .includeSectionId(SectionId.FUNCTION)
                    .includeSectionId(SectionId.EXPORT)
                    .build()
                    .parse(new ByteArrayInputStream(bytes), section -> {
                        if (section instanceof TypeSection types) {
                            signatures.types = types;
                        } else if (section instanceof ImportSection imports) {
                            signatures.imports = imports;
                        } else if (section instanceof FunctionSection functions) {
                            signatures.functions = functions;
                        } else if (section instanceof ExportSection exports) {
                            signatures.exports = exports;
                        }
                    });
            return signatures;
        } catch (RuntimeException e) {
            throw new LoadProblem("not a valid wasm binary: " + Traps.reason(e), e);
        }
    }

    /** What differs between the module the class was generated from and the loaded one, or null. */
    private static String mismatch(WasmModule generatedFrom, Signatures loaded) {
        if (generatedFrom.importSection().importCount() != loaded.imports.importCount()) {
            return "imports differ";
        }
        if (generatedFrom.functionSection().functionCount() != loaded.functions.functionCount()) {
            return "function counts differ";
        }
        if (generatedFrom.typeSection().typeCount() != loaded.types.typeCount()) {
            return "type counts differ";
        }
        int exports = loaded.exports.exportCount();
        if (generatedFrom.exportSection().exportCount() != exports) {
            return "exports differ";
        }
        for (int i = 0; i < exports; i++) {
            if (!generatedFrom.exportSection().getExport(i).name().equals(loaded.exports.getExport(i).name())) {
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
