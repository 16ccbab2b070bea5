package io.wasmgateway.host.abi;

import io.wasmgateway.host.AbiVersion;
import io.wasmgateway.host.HostServices;

import org.slf4j.Logger;

/** What host functions need from the VM instance they are linked into. */
public interface AbiVm {

    AbiVersion abiVersion();

    /** The module's logger, {@code wasm.<module name>}. */
    Logger logger();

    GuestMemory memory();

    /** The proxy's services: outbound calls, shared data and queues, metrics, timers. */
    HostServices services();

    /** The context the running callback acts on; {@link AbiContext#NONE} outside callbacks. */
    AbiContext effectiveContext();

    /** @return false when no live context on this VM has that id */
    boolean setEffectiveContext(int contextId);
}
