package io.wasmgateway.it.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;

/**
 * The third-party binaries in {@code ../shared/conformance} (beside the project's root), never copied into the
 * tree. Each is checked against MANIFEST.tsv's sha256 before use. Without the folder a test is skipped with one
 * line saying why; under CI ({@code CI=true}) a missing folder or a digest mismatch fails instead.
 */
public final class ConformanceBinaries {

    private static final Path ROOT = locate();

    private static final Map<String, String> verified = new HashMap<>();

    private ConformanceBinaries() {
    }

    /**
     * The {@code file:} location of a binary (e.g. {@code go/http_headers.wasm}), verified against the manifest;
     * skips the calling test when the folder is absent outside CI.
     */
    public static synchronized String location(String file) {
        return path(file).toUri().toString();
    }

    /** The verified binary's path; see {@link #location(String)}. */
    public static synchronized Path path(String file) {
        requireFolder();
        Path binary = ROOT.resolve(file);
        if (!verified.containsKey(file)) {
            String expected = manifest().get(file);
            if (expected == null) {
                throw new IllegalStateException(file + " is not listed in " + ROOT.resolve("MANIFEST.tsv"));
            }
            String actual = sha256(binary);
            if (!expected.equals(actual)) {
                throw new IllegalStateException(
                        file + ": sha256 " + actual + " does not match MANIFEST.tsv's " + expected);
            }
            verified.put(file, actual);
        }
        return binary;
    }

    /** Whether the folder is here; under CI its absence fails rather than skips. */
    public static void requireFolder() {
        boolean present = ROOT != null && Files.isRegularFile(ROOT.resolve("MANIFEST.tsv"));
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("CI=true but ../shared/conformance (with MANIFEST.tsv) is missing");
        }
        Assumptions.assumeTrue(present,
                "conformance tests skipped: ../shared/conformance (third-party binaries) is not beside this clone");
    }

    private static Map<String, String> manifest() {
        Map<String, String> digests = new HashMap<>();
        try {
            List<String> lines = Files.readAllLines(ROOT.resolve("MANIFEST.tsv"));
            for (String line : lines.subList(1, lines.size())) {
                String[] columns = line.split("\t");
                if (columns.length >= 2) {
                    digests.put(columns[0], columns[1]);
                }
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return digests;
    }

    private static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    // the tests run with src-it as the working directory; look upwards for the project root's sibling
    private static Path locate() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("conformance");
            if (Files.isRegularFile(candidate.resolve("MANIFEST.tsv"))) {
                return candidate;
            }
        }
        return null;
    }
}
