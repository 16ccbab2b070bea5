package io.wasmgateway.host.wat;

/** A text-format module that does not compile; the message is wat2wasm's, with file, line and column. */
public class WatSyntaxException extends RuntimeException {

    public WatSyntaxException(String message) {
        super(message);
    }
}
