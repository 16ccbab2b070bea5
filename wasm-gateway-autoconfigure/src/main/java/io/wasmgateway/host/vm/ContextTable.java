package io.wasmgateway.host.vm;

import io.wasmgateway.host.abi.AbiContext;

import java.util.function.Consumer;

/**
 * A VM instance's live contexts by id (any id but 0, which means "none" in the ABI): an open-addressing hash table on plain {@code int}
 * keys, so registering and removing a request's context allocates nothing (no boxed id, no map entry). Linear
 * probing; removal shifts the following entries back, so there are no tombstones. Not thread-safe (lane).
 */
final class ContextTable {

    private int[] ids = new int[16];
    private AbiContext[] contexts = new AbiContext[16];
    private int size;

    AbiContext get(int id) {
        if (id == 0) {
            return null;
        }
        int mask = ids.length - 1;
        for (int i = slot(id, mask); ids[i] != 0; i = (i + 1) & mask) {
            if (ids[i] == id) {
                return contexts[i];
            }
        }
        return null;
    }

    void put(int id, AbiContext context) {
        if (id == 0) {
            throw new IllegalArgumentException("context id 0 is reserved");
        }
        if (2 * (size + 1) > ids.length) {
            grow();
        }
        int mask = ids.length - 1;
        int i = slot(id, mask);
        while (ids[i] != 0 && ids[i] != id) {
            i = (i + 1) & mask;
        }
        if (ids[i] == 0) {
            size++;
        }
        ids[i] = id;
        contexts[i] = context;
    }

    void remove(int id) {
        if (id == 0) {
            return;
        }
        int mask = ids.length - 1;
        int i = slot(id, mask);
        while (ids[i] != id) {
            if (ids[i] == 0) {
                return;
            }
            i = (i + 1) & mask;
        }
        size--;
        // shift back every following entry of the run that may no longer be found past the hole
        for (int next = (i + 1) & mask; ids[next] != 0; next = (next + 1) & mask) {
            int home = slot(ids[next], mask);
            if (((next - home) & mask) >= ((next - i) & mask)) {
                ids[i] = ids[next];
                contexts[i] = contexts[next];
                i = next;
            }
        }
        ids[i] = 0;
        contexts[i] = null;
    }

    int size() {
        return size;
    }

    void forEach(Consumer<AbiContext> action) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] != 0) {
                action.accept(contexts[i]);
            }
        }
    }

    private void grow() {
        int[] oldIds = ids;
        AbiContext[] oldContexts = contexts;
        ids = new int[oldIds.length * 2];
        contexts = new AbiContext[oldIds.length * 2];
        size = 0;
        for (int i = 0; i < oldIds.length; i++) {
            if (oldIds[i] != 0) {
                put(oldIds[i], oldContexts[i]);
            }
        }
    }

    private static int slot(int id, int mask) {
        return id & mask; // ids are handed out in sequence: the live ones fall on distinct slots
    }
}
