/**
 * The Proxy-Wasm ABI's host side: every host function of module {@code env} ({@link
 * io.wasmgateway.host.abi.HostFunctions}, one class per area), the status codes ({@link
 * io.wasmgateway.host.abi.Status}), the host's limits ({@link io.wasmgateway.host.abi.Limits}), bounds-checked
 * guest memory ({@link io.wasmgateway.host.abi.GuestMemory}) and the map serialization ({@link
 * io.wasmgateway.host.abi.PairsCodec}). Host functions see their VM and context only through {@link
 * io.wasmgateway.host.abi.AbiVm} and {@link io.wasmgateway.host.abi.AbiContext}. Chicory, SLF4J and the JDK only.
 */
package io.wasmgateway.host.abi;
