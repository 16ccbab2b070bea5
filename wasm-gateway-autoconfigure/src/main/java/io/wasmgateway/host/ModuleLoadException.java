package io.wasmgateway.host;

/** A module that cannot be loaded or started; the message names the module, its location and the reason. */
public class ModuleLoadException extends RuntimeException {

    public ModuleLoadException(String message) {
        super(message);
    }

    public ModuleLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
