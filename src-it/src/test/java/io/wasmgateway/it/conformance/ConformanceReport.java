package io.wasmgateway.it.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Records every conformance test's outcome (binary, SDK, behaviour = display name, result) in
 * {@code target/conformance/<test class>.tsv} and, after each class, rewrites {@code target/conformance.md} from
 * all the classes recorded so far: the table {@code conformance-table.sh} copies into {@code docs/abi-support.md}.
 */
public class ConformanceReport implements TestWatcher, AfterAllCallback {

    static final Path DIR = Path.of("target", "conformance");

    static final Path TABLE = Path.of("target", "conformance.md");

    private static final Map<String, String> SDKS = Map.of(
            "go", "proxy-wasm-go-sdk (Go)",
            "rust", "proxy-wasm-rust-sdk (Rust)",
            "cpp", "proxy-wasm-cpp-sdk (C++)",
            "kuadrant", "Kuadrant wasm-shim (Rust)");

    private final List<String> rows = new ArrayList<>();

    @Override
    public void testSuccessful(ExtensionContext context) {
        record(context, "pass");
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        record(context, "FAIL");
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        record(context, "skipped");
    }

    @Override
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
        record(context, "FAIL (" + reason.orElse("disabled") + ")");
    }

    private synchronized void record(ExtensionContext context, String result) {
        Conformance binaries = context.getRequiredTestMethod().getAnnotation(Conformance.class);
        if (binaries == null) {
            return;
        }
        String behaviour = context.getDisplayName().replace('\t', ' ').replace('|', '/');
        for (String binary : binaries.value()) {
            rows.add(String.join("\t", binary, behaviour, result, context.getRequiredTestClass().getSimpleName()));
        }
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) throws IOException {
        if (rows.isEmpty()) {
            return;
        }
        Files.createDirectories(DIR);
        Files.write(DIR.resolve(context.getRequiredTestClass().getSimpleName() + ".tsv"), rows);
        Files.writeString(TABLE, table());
    }

    /** The Markdown table of every recorded class, grouped by binary. */
    static String table() throws IOException {
        Map<String, List<String[]>> byBinary = new TreeMap<>();
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".tsv")).sorted().toList()) {
                for (String line : Files.readAllLines(file)) {
                    String[] row = line.split("\t");
                    byBinary.computeIfAbsent(row[0], k -> new ArrayList<>()).add(row);
                }
            }
        }
        catch (UncheckedIOException ex) {
            throw ex.getCause();
        }
        StringBuilder out = new StringBuilder();
        out.append("| binary | SDK (language) | behaviour (test) | result |\n| --- | --- | --- | --- |\n");
        int passed = 0;
        int total = 0;
        for (Map.Entry<String, List<String[]>> entry : byBinary.entrySet()) {
            String binary = entry.getKey();
            String sdk = SDKS.getOrDefault(binary.substring(0, binary.indexOf('/')), "?");
            for (String[] row : entry.getValue()) {
                total++;
                if (row[2].equals("pass")) {
                    passed++;
                }
                out.append("| `").append(binary).append("` | ").append(sdk).append(" | ").append(row[1])
                    .append(" (`").append(row[3]).append("`) | ").append(row[2]).append(" |\n");
            }
        }
        out.append("\n").append(passed).append(" of ").append(total).append(" behaviours pass, over ")
            .append(byBinary.size()).append(" binaries.\n");
        return out.toString();
    }
}
