package com.example.filters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SDK-built filters under test, read from {@code -Dconformance.dir} (the pom's default: the project's
 * ../shared/conformance) and checked against its MANIFEST.tsv; never copied into this project.
 */
final class SdkFilters {

    static final Path DIR = Path.of(System.getProperty("conformance.dir", "../../../shared/conformance"));

    /** The Go SDK's http_headers example (proxy-wasm-go-sdk examples/http_headers). */
    static final Path HTTP_HEADERS = DIR.resolve("go/http_headers.wasm");

    static final String ABSENT = "go/http_headers.wasm is not there: set -Dconformance.dir to the folder of the "
            + "SDK-built filters (../shared/conformance beside the wasm-gateway checkout)";

    private SdkFilters() {
    }

    /** For {@code @EnabledIf}: whether the binary is there. */
    static boolean present() {
        return Files.isRegularFile(HTTP_HEADERS);
    }

    /** The binary, after checking its sha256 against the manifest. */
    static Path httpHeaders() {
        try {
            String expected = Files.readAllLines(DIR.resolve("MANIFEST.tsv"))
                .stream()
                .map(line -> line.split("\t"))
                .filter(fields -> fields[0].equals("go/http_headers.wasm"))
                .map(fields -> fields[1])
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("go/http_headers.wasm is not in MANIFEST.tsv"));
            String actual = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(HTTP_HEADERS)));
            if (!actual.equals(expected)) {
                throw new IllegalStateException(HTTP_HEADERS + ": sha256 " + actual + ", MANIFEST.tsv says " + expected);
            }
            return HTTP_HEADERS;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
