package io.wasmgateway.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code redis-server} (the Debian package) started as a process on a free port, with a password, no
 * persistence. Where it is not installed the calling test is skipped with a message, except under CI
 * ({@code CI=true}), where it fails: CI installs the package.
 */
public final class RedisServer implements AutoCloseable {

    public static final String PASSWORD = "it-secret";

    private static final Path BINARY = Path.of(System.getenv().getOrDefault("REDIS_SERVER", "/usr/bin/redis-server"));

    private final int port;
    private final Path directory;
    private Process process;

    private RedisServer(int port) {
        this.port = port;
        try {
            this.directory = Files.createTempDirectory("it-redis");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a server, or skips the test (fails it under CI) when redis-server is missing. */
    public static RedisServer start() {
        if (!Files.isExecutable(BINARY)) {
            String message = BINARY + " is not installed (apt-get install redis-server): the Redis tests need it";
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(message);
            }
            Assumptions.abort(message);
        }
        RedisServer server = new RedisServer(Fixtures.closedPort());
        server.startAgain();
        return server;
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://localhost:" + port;
    }

    /** Starts the server (again, on the same port, empty) and waits until it answers PING. */
    public void startAgain() {
        try {
            process = new ProcessBuilder(BINARY.toString(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
                    "--requirepass", PASSWORD, "--save", "", "--appendonly", "no", "--dir", directory.toString(),
                    "--daemonize", "no", "--loglevel", "warning")
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("redis.log").toFile())
                .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (command("PING").startsWith("+PONG")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            sleep(20);
        }
        throw new IllegalStateException("redis-server did not start on port " + port);
    }

    /** Stops the server (its data is lost) and waits for the process to end. */
    public void stop() {
        if (process != null) {
            process.destroy();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process.destroyForcibly();
            process = null;
        }
    }

    /** Sends one command (authenticated) over a plain socket and returns the raw reply's first line(s). */
    public String command(String... arguments) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write(resp(List.of("AUTH", PASSWORD)));
            out.write(resp(List.of(arguments)));
            out.flush();
            InputStream in = socket.getInputStream();
            String auth = line(in);
            if (!auth.startsWith("+OK")) {
                throw new IOException("AUTH: " + auth);
            }
            byte[] buffer = new byte[8192];
            int read = in.read(buffer);
            return read < 0 ? "" : new String(buffer, 0, read, StandardCharsets.UTF_8);
        }
    }

    private static byte[] resp(List<String> arguments) {
        StringBuilder out = new StringBuilder("*").append(arguments.size()).append("\r\n");
        for (String argument : arguments) {
            out.append('$').append(argument.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(argument)
                .append("\r\n");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            line.append((char) c);
        }
        return line.toString();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
