package io.wasmgateway.host.abi;

import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;

import java.nio.charset.Charset;

/**
 * Bounds-checked access to one instance's linear memory. Every pointer and length a guest passes is an
 * unsigned 32-bit value checked against the memory's current size before any byte is read or written, so a
 * bad range becomes {@link InvalidMemoryAccess} (INVALID_MEMORY_ACCESS), never a Java exception. Data returned
 * to the guest goes into memory allocated with the guest's own allocator.
 */
public final class GuestMemory {

    private final Memory memory; // the instance's one memory object: growing it keeps the object
    private final ExportFunction allocator;

    public GuestMemory(Instance instance, String allocatorExport) {
        this.memory = instance.memory();
        this.allocator = instance.export(allocatorExport);
    }

    public byte[] read(int ptr, int length) {
        check(ptr, length);
        return memory().readBytes(ptr, length);
    }

    public String readString(int ptr, int length, Charset charset) {
        return new String(read(ptr, length), charset);
    }

    public void writeU32(int ptr, int value) {
        check(ptr, 4);
        memory().writeI32(ptr, value);
    }

    public void writeU64(int ptr, long value) {
        check(ptr, 8);
        memory().writeLong(ptr, value);
    }

    /**
     * Copies data into a fresh guest allocation and writes the allocation's address and size, as u32, at the two
     * return slots. Empty data is returned as pointer 0 and size 0 without calling the allocator, as
     * proxy-wasm-cpp-host's {@code copyToPointerSize} does: the Go SDK's allocator panics on zero bytes.
     */
    public void returnBytes(byte[] data, int ptrSlot, int sizeSlot) {
        returnBytes(data, data.length, ptrSlot, sizeSlot);
    }

    /** {@link #returnBytes(byte[], int, int)} for the first {@code length} bytes of data. */
    public void returnBytes(byte[] data, int length, int ptrSlot, int sizeSlot) {
        // check the slots first so that a bad slot does not leak a guest allocation
        check(ptrSlot, 4);
        check(sizeSlot, 4);
        int address = 0;
        if (length > 0) {
            address = allocate(length);
            check(address, length);
            memory.write(address, data, 0, length);
        }
        memory.writeI32(ptrSlot, address);
        memory.writeI32(sizeSlot, length);
    }

    /** Allocates in the guest; a null (0) pointer for a non-empty request is a failed allocation. */
    public int allocate(int size) {
        if (size < 0 || size > Limits.MAX_GUEST_ALLOCATION_BYTES) {
            throw new InvalidMemoryAccess("allocation of " + Integer.toUnsignedString(size) + " bytes refused");
        }
        long[] result = allocator.apply(size);
        int address = result == null || result.length == 0 ? 0 : (int) result[0];
        if (address == 0 && size > 0) {
            throw new InvalidMemoryAccess("the guest allocator returned null for " + size + " bytes");
        }
        return address;
    }

    /** Whether [ptr, ptr + length) lies inside memory, both taken as unsigned 32-bit values. */
    public boolean contains(int ptr, int length) {
        long end = Integer.toUnsignedLong(ptr) + Integer.toUnsignedLong(length);
        return end <= (long) memory().pages() * Memory.PAGE_SIZE;
    }

    private void check(int ptr, int length) {
        if (!contains(ptr, length)) {
            throw new InvalidMemoryAccess("[" + Integer.toUnsignedString(ptr) + ", +"
                    + Integer.toUnsignedString(length) + ") is outside linear memory");
        }
    }

    private Memory memory() {
        return memory;
    }
}
