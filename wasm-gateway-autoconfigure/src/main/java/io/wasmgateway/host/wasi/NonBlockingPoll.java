package io.wasmgateway.host.wasi;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.WasmFunctionHandle;

/**
 * poll_oneoff that never sleeps (Chicory's sleeps for clock subscriptions, which would block an event loop):
 * every subscription is reported ready at once. A clock subscription fires immediately, so a guest that
 * "sleeps" only spins until its own deadline; stdin is always at end of file, stdout and stderr are always
 * writable, any other descriptor answers BADF.
 */
final class NonBlockingPoll {

    private static final int SUBSCRIPTION_SIZE = 48;
    private static final int EVENT_SIZE = 32;
    private static final int CLOCK = 0;
    private static final int FD_READ = 1;
    private static final int FD_WRITE = 2;
    private static final short HANGUP = 1;

    private NonBlockingPoll() {
    }

    /** (subscriptions_ptr, events_ptr, nsubscriptions, return_nevents_ptr) -> errno */
    static WasmFunctionHandle handle() {
        return (Instance instance, long... args) -> new long[] {poll(instance.memory(), (int) args[0], (int) args[1],
                (int) args[2], (int) args[3])};
    }

    private static int poll(Memory memory, int in, int out, int count, int neventsPtr) {
        if (count == 0) {
            return Errno.INVAL;
        }
        long n = Integer.toUnsignedLong(count);
        if (!WasiMemory.contains(memory, in, n * SUBSCRIPTION_SIZE) || !WasiMemory.contains(memory, out, n * EVENT_SIZE)
                || !WasiMemory.contains(memory, neventsPtr, 4)) {
            return Errno.FAULT;
        }
        for (int i = 0; i < count; i++) {
            int subscription = in + i * SUBSCRIPTION_SIZE;
            int event = out + i * EVENT_SIZE;
            int tag = memory.read(subscription + 8) & 0xFF;
            int errno = Errno.SUCCESS;
            short flags = 0;
            if (tag == FD_READ || tag == FD_WRITE) {
                int fd = memory.readInt(subscription + 16);
                boolean ready = (tag == FD_READ && fd == 0) || (tag == FD_WRITE && (fd == 1 || fd == 2));
                errno = ready ? Errno.SUCCESS : Errno.BADF;
                flags = tag == FD_READ && ready ? HANGUP : 0;
            } else if (tag != CLOCK) {
                errno = Errno.INVAL;
            }
            memory.writeLong(event, memory.readLong(subscription)); // userdata
            memory.writeShort(event + 8, (short) errno);
            memory.writeByte(event + 10, (byte) tag);
            memory.writeLong(event + 16, 0L); // nbytes
            memory.writeShort(event + 24, flags);
        }
        memory.writeI32(neventsPtr, count);
        return Errno.SUCCESS;
    }
}
