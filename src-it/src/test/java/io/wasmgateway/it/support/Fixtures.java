package io.wasmgateway.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.dylibso.chicory.wabt.Wat2Wasm;

/** Our own WAT test fixtures (under {@code fixtures/}), compiled to a file a module location can point at. */
public final class Fixtures {

    private Fixtures() {
    }

    /** A local port nothing listens on (a gateway route to it fails to connect). */
    public static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Compiles {@code fixtures/<name>.wat} and returns its {@code file:} location. */
    public static String compiled(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + name + ".wat")) {
            byte[] wasm = Wat2Wasm.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            Path file = Files.createTempFile(name, ".wasm");
            file.toFile().deleteOnExit();
            Files.write(file, wasm);
            return file.toUri().toString();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
