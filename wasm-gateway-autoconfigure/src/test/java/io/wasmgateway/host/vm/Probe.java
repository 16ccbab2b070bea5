package io.wasmgateway.host.vm;

import com.dylibso.chicory.runtime.Memory;

import io.wasmgateway.host.HostServices;
import io.wasmgateway.host.Decision;
import io.wasmgateway.host.Engine;
import io.wasmgateway.host.FakeStreamHost;
import io.wasmgateway.host.Fixtures;
import io.wasmgateway.host.ModuleSpec;
import io.wasmgateway.host.abi.AbiContext;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * host_probe.wasm loaded with a plugin and one HTTP context, for calling host functions directly with chosen
 * arguments in a chosen context ("probe:env.proxy_log" etc.) and looking at guest memory afterwards. Test data
 * goes at 1024 and up; the guest allocates from 65536.
 */
final class Probe implements AutoCloseable {

    static final int SLOT_PTR = 512;
    static final int SLOT_SIZE = 516;
    static final int OUTSIDE = 0xFFFFFFF0; // far beyond the module's 2 pages

    final ModuleRuntime runtime;
    final PluginRuntime plugin;
    final VmInstance vm;
    final FakeStreamHost host = FakeStreamHost.get("/probe").header("x-present", "here");
    final StreamContext stream;
    private int cursor = 1024;

    Probe() {
        this(Map.of());
    }

    Probe(Map<String, String> environment) {
        this(environment, HostServices.standalone());
    }

    Probe(HostServices services) {
        this(Map.of(), services);
    }

    Probe(Map<String, String> environment, HostServices services) {
        runtime = (ModuleRuntime) ModuleLoader.load(new ModuleSpec("host_probe",
                "classpath:filters/host_probe.wasm",
                Fixtures.bytes("host_probe"), Engine.COMPILER, "probe-vm", Fixtures.utf8("vm-config"), environment,
                1), services);
        plugin = runtime.startPlugin("probe-root", Fixtures.utf8("plugin-config")).join();
        vm = runtime.instances().get(0);
        stream = plugin.newStream(host);
        // the probe exports no header callbacks: this only creates and registers the context
        stream.onRequestHeaders(true).toCompletableFuture().join();
    }

    RootContext root() {
        return plugin.rootOn(0);
    }

    /** Calls "probe:env.<function>" with the stream as effective context. */
    int inStream(String function, long... args) {
        return call(stream, "env." + function, args);
    }

    int inRoot(String function, long... args) {
        return call(root(), "env." + function, args);
    }

    int outsideContexts(String function, long... args) {
        return call(AbiContext.NONE, "env." + function, args);
    }

    int wasi(String module, String function, long... args) {
        return call(stream, module + "." + function, args);
    }

    int call(AbiContext context, String qualified, long... args) {
        return during(GuestCallbacks.ON_TICK, context, qualified, args);
    }

    /** Calls "probe:<qualified>" as if from inside that callback (for functions whose answer depends on it). */
    int during(GuestCallbacks.Callback callback, AbiContext context, String qualified, long... args) {
        return vm.run(callback, context, () -> (int) vm.instance().export("probe:" + qualified).apply(args)[0], null)
                .join();
    }

    /** The decision the stream's next header callback reports (a recorded local response shows here). */
    Decision nextDecision() {
        return stream.onRequestHeaders(true).toCompletableFuture().join();
    }

    int put(byte[] data) {
        int address = cursor;
        memory().write(address, data);
        cursor += data.length + 8;
        return address;
    }

    int put(String text) {
        return put(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    int u32(int address) {
        return memory().readInt(address);
    }

    long u64(int address) {
        return memory().readLong(address);
    }

    void setU32(int address, int value) {
        memory().writeI32(address, value);
    }

    byte[] bytes(int address, int length) {
        return memory().readBytes(address, length);
    }

    /** The data a host function returned through the two standard return slots. */
    byte[] returned() {
        return bytes(u32(SLOT_PTR), u32(SLOT_SIZE));
    }

    String returnedText() {
        return new String(returned(), StandardCharsets.ISO_8859_1);
    }

    int heapTop() {
        return (int) vm.instance().export("heap_top").apply()[0];
    }

    Memory memory() {
        return vm.instance().memory();
    }

    @Override
    public void close() {
        runtime.close();
    }
}
