package io.wasmgateway.host.vm;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import io.wasmgateway.host.abi.AbiBuffer;
import io.wasmgateway.host.abi.AbiContext;
import io.wasmgateway.host.abi.BufferType;
import io.wasmgateway.host.abi.PluginInfo;

/**
 * A plugin's root context on one VM instance. It offers the VM configuration (buffer 6) and the plugin
 * configuration (buffer 7); ABI 0.1.0's proxy_get_configuration answers the VM configuration during
 * proxy_on_vm_start and the plugin configuration otherwise.
 */
final class RootContext implements AbiContext {

    private final int id;
    private final PluginInfo plugin;
    private final byte[] vmConfiguration;
    private final byte[] pluginConfiguration;
    private boolean inVmStart; // lane
    private ScheduledFuture<?> tick; // lane
    private final AtomicBoolean tickQueued = new AtomicBoolean();
    private boolean awaitingDone; // lane: released, proxy_on_done returned false, proxy_done not called yet

    RootContext(int id, PluginInfo plugin, byte[] vmConfiguration, byte[] pluginConfiguration) {
        this.id = id;
        this.plugin = plugin;
        this.vmConfiguration = vmConfiguration;
        this.pluginConfiguration = pluginConfiguration;
    }

    void inVmStart(boolean inVmStart) {
        this.inVmStart = inVmStart;
    }

    /** Replaces the running timer (lane). */
    void tickWith(ScheduledFuture<?> timer) {
        stopTick();
        tick = timer;
    }

    void stopTick() {
        if (tick != null) {
            tick.cancel(false);
            tick = null;
        }
    }

    /** Called by the timer: false while an earlier tick still waits for the lane, so ticks never pile up. */
    boolean claimTick() {
        return tickQueued.compareAndSet(false, true);
    }

    /** Called on the lane when the claimed tick runs. */
    void tickRuns() {
        tickQueued.set(false);
    }

    /** Its plugin was released and proxy_on_done returned false: proxy_done will finish it (lane). */
    void awaitDone() {
        awaitingDone = true;
    }

    /** True once, when proxy_done comes for a root that awaits it (lane). */
    boolean takeAwaitedDone() {
        boolean was = awaitingDone;
        awaitingDone = false;
        return was;
    }

    byte[] pluginConfiguration() {
        return pluginConfiguration;
    }

    byte[] vmConfiguration() {
        return vmConfiguration;
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public PluginInfo plugin() {
        return plugin;
    }

    @Override
    public AbiBuffer buffer(int bufferType) {
        return switch (bufferType) {
            case BufferType.VM_CONFIGURATION -> AbiBuffer.readOnly(vmConfiguration);
            case BufferType.PLUGIN_CONFIGURATION -> AbiBuffer.readOnly(pluginConfiguration);
            default -> null;
        };
    }

    @Override
    public byte[] configuration() {
        return inVmStart ? vmConfiguration : pluginConfiguration;
    }
}
