package io.wasmgateway.host.wat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wabt.Wat2WasmModule;
import com.dylibso.chicory.wasi.WasiExitException;
import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import com.dylibso.chicory.wasm.WasmModule;
import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;

/**
 * Compiles the WebAssembly text format to a binary with wabt's {@code wat2wasm}, itself a Wasm module (Chicory's
 * {@code com.dylibso.chicory:wabt}, an optional dependency) run on Chicory in an in-memory file system. Chicory's
 * own {@code Wat2Wasm.parse} drops wat2wasm's error output; running it here keeps it, so an error shows the
 * file, line and column ({@code filter.wat:3:6: error: unexpected token ...}) and the offending line.
 */
public final class WatCompiler {

    private static final Pattern ANSI_COLOURS = Pattern.compile("\u001B\\[[0-9;]*m");

    private WatCompiler() {
    }

    /** Whether a location names a text-format module: it ends in {@code .wat}, in any case. */
    public static boolean isWat(String location) {
        return location != null && location.toLowerCase(Locale.ROOT).endsWith(".wat");
    }

    /** Whether {@code com.dylibso.chicory:wabt} is on the class path. */
    public static boolean available() {
        try {
            Class.forName("com.dylibso.chicory.wabt.Wat2WasmModule", false, WatCompiler.class.getClassLoader());
            return true;
        }
        catch (ClassNotFoundException | LinkageError ex) {
            return false;
        }
    }

    /**
     * Compiles one module.
     *
     * @param fileName the name errors show (the location's last segment)
     * @param text the module in the text format, UTF-8
     * @return the binary module
     * @throws WatSyntaxException with wat2wasm's messages when the text does not compile
     */
    public static byte[] compile(String fileName, byte[] text) {
        if (!available()) {
            throw new WatSyntaxException("compiling .wat modules needs com.dylibso.chicory:wabt on the class path");
        }
        return Wat2Wasm.run(safeName(fileName), text);
    }

    private static String safeName(String fileName) {
        String name = fileName == null ? "" : fileName.replaceAll("[^A-Za-z0-9._-]", "_");
        return name.isEmpty() || name.startsWith(".") ? "module.wat" : name;
    }

    /** Kept apart so that WatCompiler loads without wabt on the class path. */
    private static final class Wat2Wasm {

        private static final WasmModule MODULE = Wat2WasmModule.load(); // parsed once: ~0.6 MB of metadata

        static byte[] run(String fileName, byte[] text) {
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            ByteArrayOutputStream stderr = new ByteArrayOutputStream();
            try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix().toBuilder().setAttributeViews("unix")
                .build())) {
                Path dir = Files.createDirectory(fs.getPath("/src"));
                Path source = Files.write(dir.resolve(fileName), text);
                WasiOptions options = WasiOptions.builder()
                    .withStdout(stdout)
                    .withStderr(stderr)
                    .withDirectory(dir.toString(), dir)
                    .withArguments(List.of("wat2wasm", source.toString(), "--output=-"))
                    .build();
                int exit = 0;
                try (WasiPreview1 wasi = WasiPreview1.builder().withOptions(options).build()) {
                    Instance.builder(MODULE)
                        .withMachineFactory(Wat2WasmModule::create)
                        .withImportValues(ImportValues.builder().addFunction(wasi.toHostFunctions()).build())
                        .build();
                }
                catch (WasiExitException ex) {
                    exit = ex.exitCode();
                }
                if (exit != 0 || stdout.size() == 0) {
                    String errors = ANSI_COLOURS.matcher(stderr.toString(StandardCharsets.UTF_8)).replaceAll("")
                        .replace(dir + "/", "")
                        .strip();
                    throw new WatSyntaxException(errors.isEmpty() ? "wat2wasm failed (exit code " + exit + ")"
                            : errors);
                }
                return stdout.toByteArray();
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
    }
}
