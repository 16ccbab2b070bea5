/**
 * The gateway-wide state filters share: {@link io.wasmgateway.host.shared.SharedData} (key/value bytes with a
 * CAS number) and {@link io.wasmgateway.host.shared.SharedQueues} (named message queues that wake the VM that
 * registered them).
 *
 * <p>One instance of each serves every VM instance of every module, and an Actuator endpoint reads and edits
 * them. The package depends on the JDK only: the host functions ({@code proxy_*_shared_data},
 * {@code proxy_*_shared_queue}) translate guest memory to the plain Java types used here, and map
 * {@link io.wasmgateway.host.shared.SharedStatus} to the ABI status with
 * {@link io.wasmgateway.host.shared.SharedStatus#abiStatus()}.
 */
package io.wasmgateway.host.shared;
