/**
 * The Proxy-Wasm host: loads modules on Chicory, runs VM instances, root and HTTP contexts, and implements
 * the ABI's host functions. Nothing here imports Spring, Reactor or Netty: the host takes bytes and
 * callbacks ({@link io.wasmgateway.host.StreamHost}) and can be tested alone.
 */
package io.wasmgateway.host;
