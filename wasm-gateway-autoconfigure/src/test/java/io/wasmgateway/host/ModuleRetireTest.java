package io.wasmgateway.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A retired module (replaced by a reload) closes only after its last open HTTP context has finished. */
class ModuleRetireTest {

    private final ProxyWasmModule old = Fixtures.load("header_filter");

    private final ProxyWasmModule next = Fixtures.load("header_filter");

    @AfterEach
    void close() {
        old.close();
        next.close();
    }

    @Test
    void aRetiredModuleClosesWhenItsLastRequestFinishes() {
        Plugin plugin = old.createPlugin("", new byte[0]);
        HttpContext first = plugin.newHttpContext(FakeStreamHost.get("/"));
        HttpContext second = plugin.newHttpContext(FakeStreamHost.get("/"));
        assertThat(old.openContextCount()).isEqualTo(2);

        old.retire();
        assertThat(old.isClosed()).isFalse();
        first.finish().toCompletableFuture().join();
        first.finish().toCompletableFuture().join(); // counted once
        assertThat(old.isClosed()).isFalse();
        assertThat(old.openContextCount()).isEqualTo(1);

        second.finish().toCompletableFuture().join();
        assertThat(old.isClosed()).isTrue();
        assertThatThrownBy(() -> plugin.newHttpContext(FakeStreamHost.get("/")))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("is closed");
    }

    @Test
    void anIdleModuleClosesWhenRetired() {
        old.createPlugin("", new byte[0]);
        old.retire();
        assertThat(old.isClosed()).isTrue();
    }

    @Test
    void aHandleOpensNewContextsOnTheSwappedPluginWhileOldOnesFinishOnTheOldModule() {
        PluginHandle handle = new PluginHandle(old.createPlugin("", new byte[0]));
        HttpContext inFlight = handle.newHttpContext(FakeStreamHost.get("/"));

        handle.swap(next.createPlugin("", new byte[0]));
        old.retire();
        HttpContext fresh = handle.newHttpContext(FakeStreamHost.get("/"));
        assertThat(next.openContextCount()).isEqualTo(1);
        assertThat(old.openContextCount()).isEqualTo(1);

        assertThat(inFlight.onRequestHeaders(true).toCompletableFuture().join()).isEqualTo(Decision.CONTINUE);
        inFlight.finish().toCompletableFuture().join();
        assertThat(old.isClosed()).isTrue();
        assertThat(next.isClosed()).isFalse();
        fresh.finish().toCompletableFuture().join();
        assertThat(next.openContextCount()).isZero();
    }

    @Test
    void aHandleWhoseModuleClosedWithoutReplacementRefusesNewContexts() {
        PluginHandle handle = new PluginHandle(old.createPlugin("", new byte[0]));
        old.close();
        assertThatThrownBy(() -> handle.newHttpContext(FakeStreamHost.get("/")))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("'header_filter' is closed");
    }
}
