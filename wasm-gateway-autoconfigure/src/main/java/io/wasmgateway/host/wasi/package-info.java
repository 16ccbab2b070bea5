/**
 * WASI preview 1 for guests, on Chicory's implementation, sandboxed: stdout and stderr become log lines, the
 * environment is the module's configured one, and nothing reaches host files, network or streams. Served under
 * {@code wasi_snapshot_preview1} and {@code wasi_unstable}. Chicory, SLF4J and the JDK only.
 */
package io.wasmgateway.host.wasi;
