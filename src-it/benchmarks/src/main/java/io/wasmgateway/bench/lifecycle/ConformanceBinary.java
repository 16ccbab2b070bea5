package io.wasmgateway.bench.lifecycle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A third-party SDK-built binary of {@code ../shared/conformance} (beside the project's root; the
 * {@code bench.conformance} system property overrides), read in place, never copied into the tree, and checked
 * against MANIFEST.tsv's sha256 before use.
 */
final class ConformanceBinary {

    private ConformanceBinary() {
    }

    /** The folder, or null when it is not beside this clone. */
    static Path folder() {
        String configured = System.getProperty("bench.conformance");
        if (configured != null) {
            return Files.isRegularFile(Path.of(configured, "MANIFEST.tsv")) ? Path.of(configured) : null;
        }
        // the scripts start Java in the project root; look upwards so that any working directory inside works
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("conformance");
            if (Files.isRegularFile(candidate.resolve("MANIFEST.tsv"))) {
                return candidate;
            }
        }
        return null;
    }

    /** Why {@code file} cannot be used, or null when it is present and matches the manifest. */
    static String problem(String file) {
        Path folder = folder();
        if (folder == null) {
            return "../shared/conformance (third-party SDK binaries, with MANIFEST.tsv) is not beside this clone";
        }
        Path binary = folder.resolve(file);
        if (!Files.isRegularFile(binary)) {
            return binary + " is missing";
        }
        String expected = expectedDigest(folder, file);
        if (expected == null) {
            return file + " is not listed in " + folder.resolve("MANIFEST.tsv");
        }
        String actual = sha256(read(binary));
        return expected.equals(actual) ? null
                : file + ": sha256 " + actual + " does not match MANIFEST.tsv's " + expected;
    }

    /** The verified bytes; throws with the reason when they cannot be used. */
    static byte[] bytes(String file) {
        String problem = problem(file);
        if (problem != null) {
            throw new IllegalStateException("skipped: " + problem);
        }
        return read(folder().resolve(file));
    }

    private static String expectedDigest(Path folder, String file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(folder.resolve("MANIFEST.tsv"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String line : lines) {
            String[] columns = line.split("\t");
            if (columns.length >= 2 && columns[0].equals(file)) {
                return columns[1];
            }
        }
        return null;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
