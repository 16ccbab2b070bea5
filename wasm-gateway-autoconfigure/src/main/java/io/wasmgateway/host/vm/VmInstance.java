package io.wasmgateway.host.vm;

import com.dylibso.chicory.runtime.Instance;

import io.wasmgateway.host.AbiVersion;
import io.wasmgateway.host.HostServices;
import io.wasmgateway.host.WasmTrapException;
import io.wasmgateway.host.abi.AbiContext;
import io.wasmgateway.host.abi.AbiVm;
import io.wasmgateway.host.abi.GuestMemory;
import io.wasmgateway.host.wasi.WasiHost;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.slf4j.Logger;

/**
 * One Chicory instance of a module and everything that lives in it: its contexts, its effective context, and
 * the {@link SerialLane} every guest call goes through, so the instance never runs two calls at once. State
 * marked "lane" is only touched by lane tasks. A trap breaks the instance: later callbacks fail fast.
 */
public final class VmInstance implements AbiVm {

    /** Work done on the lane with the guest; may throw whatever the guest throws. */
    @FunctionalInterface
    interface GuestWork<T> {
        T run();
    }

    private final ModuleIdentity identity;
    private final int index;
    private final HostServices services;
    private final SerialLane lane = new SerialLane();
    private final Map<Integer, AbiContext> contexts = new HashMap<>(); // lane
    private final List<StreamContext> touched = new ArrayList<>(2); // lane
    private int lastContextId; // lane
    private AbiContext effective = AbiContext.NONE; // lane
    private String runningCallback; // lane
    private volatile String brokenReason;

    private Instance instance;
    private GuestMemory memory;
    private GuestCallbacks callbacks;
    private WasiHost wasi;

    VmInstance(ModuleIdentity identity, int index, HostServices services) {
        this.identity = identity;
        this.index = index;
        this.services = services;
    }

    @Override
    public HostServices services() {
        return services;
    }

    /** Completes construction once Chicory has built the instance (host functions exist before it). */
    void attach(Instance instance, GuestMemory memory, GuestCallbacks callbacks, WasiHost wasi) {
        this.instance = instance;
        this.memory = memory;
        this.callbacks = callbacks;
        this.wasi = wasi;
    }

    ModuleIdentity identity() {
        return identity;
    }

    int index() {
        return index;
    }

    Instance instance() {
        return instance;
    }

    boolean isBroken() {
        return brokenReason != null;
    }

    /**
     * Runs guest work on the lane with {@code context} as the effective context, completing the returned
     * future after the work returns (so nothing the guest triggers completes inside its own callback). A trap
     * completes it with {@link WasmTrapException} and breaks the instance. On a broken instance the work is
     * skipped: the future fails fast, or completes with {@code whenBroken} when one is given.
     */
    <T> CompletableFuture<T> run(String callback, AbiContext context, GuestWork<T> work, Supplier<T> whenBroken) {
        CompletableFuture<T> result = new CompletableFuture<>();
        lane.execute(() -> runNow(callback, context, work, whenBroken, result));
        return result;
    }

    private <T> void runNow(String callback, AbiContext context, GuestWork<T> work, Supplier<T> whenBroken,
            CompletableFuture<T> result) {
        if (brokenReason != null) {
            if (whenBroken != null) {
                result.complete(whenBroken.get());
            } else {
                result.completeExceptionally(new WasmTrapException("wasm module '" + identity.name()
                        + "' cannot run " + callback + ": its VM instance broke on an earlier trap (" + brokenReason
                        + ")", null));
            }
            return;
        }
        T value;
        effective = context;
        runningCallback = callback;
        try {
            value = work.run();
        } catch (Throwable error) {
            String where = runningCallback;
            breakOn(Traps.reason(error));
            result.completeExceptionally(identity.trap(where, Traps.reason(error), error));
            failPendingResumptions();
            return;
        } finally {
            effective = AbiContext.NONE;
            runningCallback = null;
        }
        result.complete(value);
        deliverResumptions();
    }

    /** Calls a proxy_on_* export (lane); remembers its name for trap messages. */
    Integer call(String callback, long... args) {
        runningCallback = callback;
        return callbacks.call(callback, args);
    }

    int nextContextId() {
        return ++lastContextId;
    }

    void register(AbiContext context) {
        contexts.put(context.id(), context);
    }

    void unregister(int contextId) {
        contexts.remove(contextId);
    }

    /** A stream whose continue or local response must be delivered after the running callback returns. */
    void touched(StreamContext stream) {
        if (!touched.contains(stream)) {
            touched.add(stream);
        }
    }

    private void deliverResumptions() {
        while (!touched.isEmpty()) {
            touched.remove(touched.size() - 1).deliverResumption();
        }
    }

    private void failPendingResumptions() {
        touched.clear();
        for (AbiContext context : contexts.values()) {
            if (context instanceof StreamContext stream) {
                stream.failResumption(new WasmTrapException("wasm module '" + identity.name()
                        + "' broke while this request was paused (" + brokenReason + ")", null));
            }
        }
    }

    private void breakOn(String reason) {
        brokenReason = reason;
        identity.logger().error("VM instance {} of wasm module '{}' is broken: {}", index, identity.name(), reason);
    }

    /** Releases WASI resources (flushes a partial stdout line). */
    void close() {
        if (wasi != null) {
            wasi.close();
        }
    }

    // ---- AbiVm, for host functions (always called on the lane, inside a guest call) ----

    @Override
    public AbiVersion abiVersion() {
        return identity.abi();
    }

    @Override
    public Logger logger() {
        return identity.logger();
    }

    @Override
    public GuestMemory memory() {
        return memory;
    }

    @Override
    public AbiContext effectiveContext() {
        return effective;
    }

    @Override
    public boolean setEffectiveContext(int contextId) {
        AbiContext context = contexts.get(contextId);
        if (context == null) {
            return false;
        }
        effective = context;
        return true;
    }
}
