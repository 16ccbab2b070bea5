package io.wasmgateway.host.vm;

import io.wasmgateway.host.AbiVersion;
import io.wasmgateway.host.ModuleLoadException;
import io.wasmgateway.host.WasmTrapException;

import org.slf4j.Logger;

/** What every part of a loaded module shares: its names, its ABI and its logger, and its error messages. */
public record ModuleIdentity(String name, String location, String vmId, AbiVersion abi, Logger logger) {

    /** "wasm module '<name>' (<location>): <reason>" */
    public ModuleLoadException loadError(String reason, Throwable cause) {
        return new ModuleLoadException("wasm module '" + name + "' (" + location + "): " + reason, cause);
    }

    /** "wasm module '<name>' trapped in <callback>: <reason>" */
    public WasmTrapException trap(String callback, String reason, Throwable cause) {
        return new WasmTrapException("wasm module '" + name + "' trapped in " + callback + ": " + reason, cause);
    }
}
