package io.wasmgateway.gateway;

import io.wasmgateway.host.wat.WatCompiler;
import io.wasmgateway.host.wat.WatSyntaxException;

/** Modules written in the WebAssembly text format: a location ending in {@code .wat} is compiled when it loads. */
final class WatModules {

    private WatModules() {
    }

    /** The binary module: {@code bytes} as they are, or compiled from the text format for a .wat location. */
    static byte[] binary(String name, String location, byte[] bytes) {
        if (!WatCompiler.isWat(location)) {
            return bytes;
        }
        try {
            return WatCompiler.compile(fileName(location), bytes);
        }
        catch (WatSyntaxException ex) {
            throw new WasmModuleLoadException(name, location, "the text format does not compile:\n"
                    + ex.getMessage(), ex) {

                @Override
                public String action() {
                    return WatCompiler.available() ? "Fix the module's text at the line shown, or point "
                            + "wasm.gateway.modules." + name + ".location at a compiled .wasm."
                            : "Add com.dylibso.chicory:wabt to the application's dependencies, or point "
                                    + "wasm.gateway.modules." + name + ".location at a compiled .wasm.";
                }
            };
        }
    }

    private static String fileName(String location) {
        String path = location.replace('\\', '/');
        int query = path.indexOf('?');
        path = query >= 0 ? path.substring(0, query) : path;
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
