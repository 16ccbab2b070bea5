/**
 * Internal: modules compiled once ({@link io.wasmgateway.host.vm.ModuleBlueprint}), their VM instances
 * ({@link io.wasmgateway.host.vm.VmInstance}) each run by a {@link io.wasmgateway.host.vm.GuestExecutor} behind a
 * non-blocking {@link io.wasmgateway.host.vm.GuardedLane},
 * and the root and HTTP contexts living in them. The public API in {@code io.wasmgateway.host} wraps these
 * classes; nothing else should use them. Chicory, SLF4J and the JDK only.
 */
package io.wasmgateway.host.vm;
