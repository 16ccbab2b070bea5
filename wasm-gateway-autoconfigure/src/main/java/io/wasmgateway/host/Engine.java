package io.wasmgateway.host;

/** How a module's code runs: Chicory's runtime compiler (JVM bytecode) or its interpreter. */
public enum Engine {
    COMPILER,
    INTERPRETER
}
