package io.wasmgateway.host.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.wasmgateway.host.abi.AbiContext;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

class ContextTableTest {

    @Test
    void behavesLikeAMapUnderRandomRegistrationsAndRemovals() {
        ContextTable table = new ContextTable();
        Map<Integer, AbiContext> expected = new HashMap<>();
        Random random = new Random(42);
        int nextId = 0;
        for (int step = 0; step < 200_000; step++) {
            int op = random.nextInt(10);
            if (op < 4 || expected.isEmpty()) {
                int id = ++nextId;
                AbiContext context = new Stub(id);
                table.put(id, context);
                expected.put(id, context);
            } else if (op < 8) {
                List<Integer> live = new ArrayList<>(expected.keySet());
                int id = random.nextInt(3) == 0 ? 1 + random.nextInt(nextId) : live.get(random.nextInt(live.size()));
                table.remove(id);
                expected.remove(id);
            } else {
                int id = random.nextInt(nextId + 2) - 1;
                assertThat(table.get(id)).isSameAs(expected.get(id));
            }
            assertThat(table.size()).isEqualTo(expected.size());
        }
        for (Map.Entry<Integer, AbiContext> entry : expected.entrySet()) {
            assertThat(table.get(entry.getKey())).isSameAs(entry.getValue());
        }
        List<AbiContext> all = new ArrayList<>();
        table.forEach(all::add);
        assertThat(all).containsExactlyInAnyOrderElementsOf(expected.values());
    }

    @Test
    void keepsLongLivedContextsFindableWhileRequestContextsCycle() {
        ContextTable table = new ContextTable();
        AbiContext root = new Stub(1);
        table.put(1, root);
        for (int id = 2; id < 100_000; id++) {
            table.put(id, new Stub(id));
            if (id - 40 > 1) {
                table.remove(id - 40);
            }
            assertThat(table.get(1)).isSameAs(root);
        }
        assertThat(table.size()).isEqualTo(41);
    }

    private record Stub(int id) implements AbiContext {

        @Override
        public io.wasmgateway.host.abi.PluginInfo plugin() {
            return null;
        }
    }
}
