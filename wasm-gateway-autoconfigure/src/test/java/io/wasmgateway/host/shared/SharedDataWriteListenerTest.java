package io.wasmgateway.host.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The hook replication uses: local writes are heard, writes applied from elsewhere are not. */
class SharedDataWriteListenerTest {

    private final SharedData data = new SharedData(100, 10_000, SharedData.Eviction.LRU);
    private final List<String> heard = new ArrayList<>();

    SharedDataWriteListenerTest() {
        data.listen((key, value) -> heard.add(key + "=" + (value == null ? "(deleted)" : text(value))));
    }

    @Test
    void hearsSuccessfulSetsAndDeletesOnly() {
        data.set("a", bytes("1"), 0);
        int cas = data.get("a").cas();
        assertThat(data.set("a", bytes("2"), cas + 1)).isEqualTo(SharedStatus.CAS_MISMATCH);
        data.delete("a");
        data.delete("a"); // NOT_FOUND: nothing changed
        assertThat(heard).containsExactly("a=1", "a=(deleted)");
    }

    @Test
    void appliedWritesChangeTheStoreSilently() {
        assertThat(data.apply("b", bytes("remote"))).isEqualTo(SharedStatus.OK);
        assertThat(text(data.peek("b").value())).isEqualTo("remote");
        assertThat(data.apply("b", null)).isEqualTo(SharedStatus.OK);
        assertThat(data.peek("b")).isNull();
        assertThat(heard).isEmpty();
    }

    @Test
    void aRemovedListenerHearsNothing() {
        data.listen(null);
        data.set("c", bytes("1"), 0);
        assertThat(heard).isEmpty();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] value) {
        return new String(value, StandardCharsets.UTF_8);
    }
}
