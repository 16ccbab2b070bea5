package io.wasmgateway.host;

/**
 * A function filters call by name with {@code proxy_call_foreign_function}: bytes in, bytes out, answered while
 * the guest waits (it runs on the VM's thread, often an event loop: never block). Envoy offers such functions
 * ({@code compress}, {@code uncompress}, ...), so do Higress ({@code get_log_level}) and ngx_wasm_module; in a
 * Spring application every bean of this type is one, by its {@link #name()}.
 */
public interface ForeignFunction {

    /** The name filters call it by. */
    String name();

    /**
     * Answers one call.
     *
     * @return the result the guest receives (copied into its memory through its allocator); empty for none
     * @throws ForeignFunctionException to answer a status instead (e.g. SERIALIZATION_FAILURE for bad input);
     *     any other exception answers INTERNAL_FAILURE
     */
    byte[] call(ForeignCall call);

    /**
     * One call.
     *
     * @param module the calling module's configured name
     * @param arguments the bytes the guest passed
     * @param logger the module's logger ({@code wasm.<module>})
     */
    record ForeignCall(String module, byte[] arguments, org.slf4j.Logger logger) {
    }
}
