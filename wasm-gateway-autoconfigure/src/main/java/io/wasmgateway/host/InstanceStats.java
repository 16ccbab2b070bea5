package io.wasmgateway.host;

/**
 * One VM instance of a module, as the actuator shows it.
 *
 * @param index its slot
 * @param requests HTTP contexts opened on it since it started (what recycle-after-requests counts)
 * @param open HTTP contexts opened on it and not finished yet
 * @param memoryBytes the size of its linear memory (what recycle-at-memory compares)
 * @param broken whether it broke on a trap and awaits its replacement
 */
public record InstanceStats(int index, long requests, int open, long memoryBytes, boolean broken) {
}
