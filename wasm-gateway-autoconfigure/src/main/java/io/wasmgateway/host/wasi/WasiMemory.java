package io.wasmgateway.host.wasi;

import com.dylibso.chicory.runtime.Memory;

/** Unsigned bounds checks for the WASI functions this host checks itself. */
final class WasiMemory {

    private WasiMemory() {
    }

    static boolean contains(Memory memory, int ptr, long length) {
        return length >= 0 && Integer.toUnsignedLong(ptr) + length <= (long) memory.pages() * Memory.PAGE_SIZE;
    }

    /** Whether every iovec of an fd_write / fd_read call and the buffers they point to lie inside memory. */
    static boolean iovecsValid(Memory memory, int iovs, int count) {
        long n = Integer.toUnsignedLong(count);
        if (!contains(memory, iovs, n * 8)) {
            return false;
        }
        for (int i = 0; i < count; i++) {
            int buf = memory.readInt(iovs + i * 8);
            int len = memory.readInt(iovs + i * 8 + 4);
            if (!contains(memory, buf, Integer.toUnsignedLong(len))) {
                return false;
            }
        }
        return true;
    }
}
