package io.wasmgateway.host.vm;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;

import io.wasmgateway.host.Engine;
import io.wasmgateway.host.FakeStreamHost;
import io.wasmgateway.host.Fixtures;
import io.wasmgateway.host.HostServices;
import io.wasmgateway.host.LogCapture;
import io.wasmgateway.host.ModuleSpec;
import io.wasmgateway.host.RedisCallDispatcher;
import io.wasmgateway.host.RedisCallRequest;
import io.wasmgateway.host.RedisCallResponse;
import io.wasmgateway.host.abi.AbiContext;
import io.wasmgateway.host.abi.Limits;
import io.wasmgateway.host.abi.Status;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * proxy_redis_init, proxy_redis_call and proxy_on_redis_call_response (Higress's ABI) with a dispatcher that
 * records each request and answers when the test says (host_redis_probe.wat).
 */
class RedisCallFunctionsTest {

    private static final int ROOT = 256;
    private static final int TOKEN = 260;
    private static final int STATUS = 264;
    private static final int SIZE = 268;
    private static final int BUFFER_STATUS = 272;
    private static final int ANSWERS = 276;
    private static final int SLOT_PTR = 512;
    private static final int SLOT_SIZE = 516;
    private static final int TOKEN_SLOT = 600;

    /** Requests as the dispatcher saw them, with the means to answer each. */
    private record Dispatched(RedisCallRequest request, Consumer<RedisCallResponse> answer, AtomicInteger cancels) {
    }

    private final List<Dispatched> dispatched = new ArrayList<>();

    private final RedisCallDispatcher dispatcher = new RedisCallDispatcher() {
        @Override
        public boolean hasCluster(String cluster) {
            return cluster.equals("main");
        }

        @Override
        public Runnable dispatch(RedisCallRequest request, Consumer<RedisCallResponse> onDone) {
            AtomicInteger cancels = new AtomicInteger();
            dispatched.add(new Dispatched(request, onDone, cancels));
            return cancels::incrementAndGet;
        }
    };

    private final ModuleRuntime runtime;
    private final PluginRuntime plugin;
    private final VmInstance vm;
    private final StreamContext stream;
    private int cursor = 1024;

    RedisCallFunctionsTest() {
        HostServices standalone = HostServices.standalone();
        HostServices services = standalone.withRedisCalls(dispatcher);
        runtime = (ModuleRuntime) ModuleLoader.load(new ModuleSpec("host_redis_probe",
                "classpath:filters/host_redis_probe.wasm",
                Fixtures.bytes("host_redis_probe"), Engine.COMPILER, "", new byte[0], Map.of(), 1), services);
        plugin = runtime.startPlugin("redis-root", new byte[0]).join();
        vm = runtime.instances().get(0);
        stream = plugin.newStream(FakeStreamHost.get("/redis"));
        stream.onRequestHeaders(true).toCompletableFuture().join();
    }

    @AfterEach
    void close() {
        runtime.close();
    }

    @Test
    void theHigressMarkerDeclaresAbi02() {
        assertThat(vm.abiVersion()).isEqualTo(io.wasmgateway.host.AbiVersion.V0_2_X);
    }

    @Test
    void aCallGoesToTheClusterWithTheInitsCredentialsAndItsReplyToTheRootContext() {
        assertThat(init("main?db=3", "alice", "secret", 250)).isEqualTo(Status.OK);
        assertThat(call(stream, "main?db=3", "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n")).isEqualTo(Status.OK);
        int token = u32(TOKEN_SLOT);
        assertThat(token).isPositive();
        assertThat(dispatched).hasSize(1); // started once the callback returned
        RedisCallRequest request = dispatched.get(0).request();
        assertThat(request.cluster()).isEqualTo("main");
        assertThat(request.database()).isEqualTo(3);
        assertThat(request.username()).isEqualTo("alice");
        assertThat(request.password()).isEqualTo("secret");
        assertThat(request.timeoutMillis()).isEqualTo(250);
        assertThat(request.arguments()).extracting(bytes -> new String(bytes, StandardCharsets.ISO_8859_1))
                .containsExactly("GET", "k");
        assertThat(vm.awaitsCall(stream.id())).isTrue();

        dispatched.get(0).answer().accept(RedisCallResponse.of(utf8("$5\r\nhello\r\n")));

        assertThat(u32(ANSWERS)).isEqualTo(1);
        assertThat(u32(ROOT)).isEqualTo(plugin.rootOn(0).id());
        assertThat(u32(TOKEN)).isEqualTo(token);
        assertThat(u32(STATUS)).isZero();
        assertThat(u32(SIZE)).isEqualTo(11);
        assertThat(u32(BUFFER_STATUS)).isEqualTo(Status.OK);
        assertThat(text(u32(SLOT_PTR), u32(SLOT_SIZE))).isEqualTo("$5\r\nhello\r\n");
        assertThat(vm.awaitsCall(stream.id())).isFalse();
    }

    @Test
    void aCallByTheBareNameUsesTheInitWithOptions() {
        init("main?db=2&buffer_flush_timeout=0", "", "", 0);
        assertThat(call(stream, "main", "*1\r\n$4\r\nPING\r\n")).isEqualTo(Status.OK);
        assertThat(dispatched.get(0).request().database()).isEqualTo(2);
        assertThat(dispatched.get(0).request().username()).isEmpty();
    }

    @Test
    void aFailedCallHasANonZeroStatusAndNoReplyBuffer() {
        init("main", "", "", 0);
        call(stream, "main", "*1\r\n$4\r\nPING\r\n");
        dispatched.get(0).answer().accept(RedisCallResponse.failed(RedisCallResponse.TIMEOUT));
        assertThat(u32(STATUS)).isEqualTo(RedisCallResponse.TIMEOUT);
        assertThat(u32(SIZE)).isZero();
        assertThat(u32(BUFFER_STATUS)).isEqualTo(Status.NOT_FOUND);
    }

    @Test
    void theReplyBufferExistsOnlyDuringTheCallback() {
        assertThat(callIn(stream, "env.proxy_get_buffer_status", 9, 700, 704)).isEqualTo(Status.NOT_FOUND);
        assertThat(callIn(stream, "env.proxy_get_buffer_status", 10, 700, 704)).isEqualTo(Status.BAD_ARGUMENT);
    }

    @Test
    void anUnknownClusterIsABadArgumentNamingTheProperty() {
        try (LogCapture log = new LogCapture("wasm.host_redis_probe", Level.WARN)) {
            assertThat(init("nowhere", "", "", 0)).isEqualTo(Status.BAD_ARGUMENT);
            assertThat(log.lines()).containsExactly(
                    "WARN unknown Redis cluster 'nowhere': configure it as wasm.gateway.redis.nowhere");
        }
        assertThat(init("main?db=x", "", "", 0)).isEqualTo(Status.BAD_ARGUMENT);
    }

    @Test
    void aCallBeforeInitIsABadArgument() {
        try (LogCapture log = new LogCapture("wasm.host_redis_probe", Level.WARN)) {
            assertThat(call(stream, "main", "*1\r\n$4\r\nPING\r\n")).isEqualTo(Status.BAD_ARGUMENT);
            assertThat(log.lines()).containsExactly("WARN proxy_redis_call to 'main' before its root context called "
                    + "proxy_redis_init for it");
        }
        assertThat(dispatched).isEmpty();
    }

    @Test
    void aQueryThatIsNotOneRespArrayOfBulkStringsIsRefused() {
        init("main", "", "", 0);
        for (String bad : List.of("PING\r\n", "*1\r\n$4\r\nPIN\r\n", "*1\r\n$4\r\nPING\r\nextra", "*2\r\n$4\r\nPING\r\n",
                "*1\r\n:4\r\n", "*0\r\n", "", "*1\r\n$99999999999\r\nx\r\n", "*1\r\n$-1\r\n")) {
            assertThat(call(stream, "main", bad)).as(bad).isEqualTo(Status.BAD_ARGUMENT);
        }
        assertThat(call(stream, "main", "*1\r\n$0\r\n\r\n")).isEqualTo(Status.OK);
        assertThat(dispatched).hasSize(1);
    }

    @Test
    void checksPointersAndSizes() {
        init("main", "", "", 0);
        int cluster = put("main");
        int query = put("*1\r\n$4\r\nPING\r\n");
        assertThat(callIn(stream, "env.proxy_redis_call", cluster, 4, query, 14, 0xFFFFFFF0))
                .isEqualTo(Status.INVALID_MEMORY_ACCESS);
        assertThat(callIn(stream, "env.proxy_redis_call", 0xFFFFFFF0, 4, query, 14, TOKEN_SLOT))
                .isEqualTo(Status.INVALID_MEMORY_ACCESS);
        assertThat(callIn(stream, "env.proxy_redis_call", cluster, 4, query, Limits.MAX_REDIS_QUERY_BYTES + 1,
                TOKEN_SLOT)).isEqualTo(Status.BAD_ARGUMENT);
        assertThat(callIn(plugin.rootOn(0), "env.proxy_redis_init", cluster, 4, 0xFFFFFFF0, 4, 0, 0, 0))
                .isEqualTo(Status.INVALID_MEMORY_ACCESS);
    }

    @Test
    void theEndOfTheRequestCancelsItsCalls() {
        init("main", "", "", 0);
        call(stream, "main", "*1\r\n$4\r\nPING\r\n");
        stream.finish().toCompletableFuture().join();
        assertThat(dispatched.get(0).cancels().get()).isEqualTo(1);
        dispatched.get(0).answer().accept(RedisCallResponse.of(utf8("+PONG\r\n")));
        assertThat(u32(ANSWERS)).isZero();
    }

    @Test
    void aContextHasABoundedNumberOfCallsInFlight() {
        init("main", "", "", 0);
        for (int i = 0; i < Limits.MAX_REDIS_CALLS_PER_CONTEXT; i++) {
            assertThat(call(stream, "main", "*1\r\n$4\r\nPING\r\n")).isEqualTo(Status.OK);
        }
        assertThat(call(stream, "main", "*1\r\n$4\r\nPING\r\n")).isEqualTo(Status.BAD_ARGUMENT);
    }

    @Test
    void theRootContextCallsToo() {
        init("main", "", "", 0);
        assertThat(call(plugin.rootOn(0), "main", "*1\r\n$4\r\nPING\r\n")).isEqualTo(Status.OK);
        dispatched.get(0).answer().accept(RedisCallResponse.of(utf8("+PONG\r\n")));
        assertThat(u32(ROOT)).isEqualTo(plugin.rootOn(0).id());
        assertThat(text(u32(SLOT_PTR), u32(SLOT_SIZE))).isEqualTo("+PONG\r\n");
    }

    @Test
    void higressExtensionsWithoutACounterpartAreUnimplemented() {
        assertThat(callIn(stream, "env.proxy_inject_encoded_data_to_filter_chain", 0, 0, 0))
                .isEqualTo(Status.UNIMPLEMENTED);
        assertThat(callIn(stream, "env.proxy_get_upstream_hosts", SLOT_PTR, SLOT_SIZE)).isEqualTo(Status.UNIMPLEMENTED);
        assertThat(callIn(stream, "env.proxy_set_upstream_override_host", 0, 0)).isEqualTo(Status.UNIMPLEMENTED);
    }

    private int init(String cluster, String username, String password, int timeout) {
        int c = put(cluster);
        int u = put(username);
        int p = put(password);
        return callIn(plugin.rootOn(0), "env.proxy_redis_init", c, cluster.length(), u, username.length(), p,
                password.length(), timeout);
    }

    private int call(AbiContext context, String cluster, String query) {
        int c = put(cluster);
        int q = put(query);
        return callIn(context, "env.proxy_redis_call", c, cluster.length(), q, query.length(), TOKEN_SLOT);
    }

    private int callIn(AbiContext context, String qualified, long... args) {
        return vm.run(GuestCallbacks.ON_TICK, context,
                () -> (int) vm.instance().export("probe:" + qualified).apply(args)[0], null).join();
    }

    private int put(String text) {
        byte[] data = text.getBytes(StandardCharsets.ISO_8859_1);
        int address = cursor;
        vm.instance().memory().write(address, data);
        cursor += data.length + 8;
        return address;
    }

    private int u32(int address) {
        return vm.instance().memory().readInt(address);
    }

    private String text(int address, int length) {
        return new String(vm.instance().memory().readBytes(address, length), StandardCharsets.ISO_8859_1);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
