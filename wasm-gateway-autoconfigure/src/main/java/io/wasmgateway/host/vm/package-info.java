/**
 * Internal: modules compiled once ({@link io.wasmgateway.host.vm.ModuleBlueprint}), their VM instances
 * ({@link io.wasmgateway.host.vm.VmInstance}) each run by a {@link io.wasmgateway.host.vm.GuestExecutor} behind a
 * non-blocking {@link io.wasmgateway.host.vm.GuardedLane},
 * and the root and HTTP contexts living in them. Its package-private classes implement the public API's abstract
 * classes in {@code io.wasmgateway.host} ({@code ProxyWasmModule}, {@code Plugin}, {@code HttpContext});
 * {@link io.wasmgateway.host.vm.ModuleLoader} is the way in. Chicory, SLF4J and the JDK only.
 */
package io.wasmgateway.host.vm;
