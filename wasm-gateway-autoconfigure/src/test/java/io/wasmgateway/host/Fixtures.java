package io.wasmgateway.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Modules from the example-filters jar ({@code classpath:filters/<name>.wasm}). */
public final class Fixtures {

    private Fixtures() {
    }

    public static byte[] bytes(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/filters/" + name + ".wasm")) {
            if (in == null) {
                throw new IllegalStateException("no fixture filters/" + name + ".wasm on the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ModuleSpec spec(String name) {
        return spec(name, Engine.COMPILER, 1);
    }

    public static ModuleSpec spec(String name, Engine engine, int instances) {
        return new ModuleSpec(name, "classpath:filters/" + name + ".wasm", bytes(name), engine, name,
                new byte[0], Map.of(), instances);
    }

    public static ProxyWasmModule load(String name) {
        return ProxyWasmModule.load(spec(name));
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
