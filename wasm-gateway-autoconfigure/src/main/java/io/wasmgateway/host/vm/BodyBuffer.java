package io.wasmgateway.host.vm;

import io.wasmgateway.host.abi.AbiBuffer;
import io.wasmgateway.host.abi.MutableBuffer;
import io.wasmgateway.host.abi.Status;

/**
 * The body buffer (0 or 1) of one stream as its filter sees it, Envoy's way: the current chunk, or when the
 * filter paused earlier chunks, everything held so far followed by the chunk. A chunk is read in place (the
 * proxy's buffer, valid only during the callback); it is copied only when the filter changes it or holds it.
 * Lane only.
 */
final class BodyBuffer implements AbiBuffer {

    private final int maxHeld;
    private AbiBuffer chunk; // the proxy's chunk, during a callback, until copied
    private MutableBuffer own; // held or changed bytes
    private boolean changed;

    BodyBuffer(int maxHeld) {
        this.maxHeld = maxHeld;
    }

    /**
     * Adds the proxy's next chunk for the coming callback.
     *
     * @return false when the bytes held would grow past the limit (nothing is added then)
     */
    boolean add(AbiBuffer next) {
        if (own == null) {
            chunk = next;
            return true;
        }
        if ((long) own.size() + next.size() > maxHeld) {
            return false;
        }
        if (next.size() > 0) {
            own.replace(own.size(), 0, next.bytes(0, next.size()));
            changed = true; // the chunk alone no longer stands for the output
        }
        return true;
    }

    /**
     * After a pause: keeps the content, so the proxy may release its chunk.
     *
     * @return false when the content is larger than the limit
     */
    boolean hold() {
        if (own == null) {
            if (chunk.size() > maxHeld) {
                return false;
            }
            own = new MutableBuffer(chunk.bytes(0, chunk.size()), maxHeld);
            chunk = null;
        }
        return true;
    }

    /** Whether what goes on differs from the proxy's chunk (held earlier chunks, or a change). */
    boolean changed() {
        return changed;
    }

    /** The content, then empties the buffer: what goes on after the filter lets it pass. */
    byte[] take() {
        byte[] content = own != null ? own.content() : chunk.bytes(0, chunk.size());
        clear();
        return content;
    }

    /** Forgets the content (let through unchanged, or dropped by a local response). */
    void clear() {
        chunk = null;
        own = null;
        changed = false;
    }

    boolean isEmpty() {
        return chunk == null && own == null;
    }

    @Override
    public int size() {
        return own != null ? own.size() : chunk != null ? chunk.size() : 0;
    }

    @Override
    public byte[] bytes(int start, int length) {
        return own != null ? own.bytes(start, length) : chunk != null ? chunk.bytes(start, length) : new byte[0];
    }

    @Override
    public int replace(long start, long length, byte[] data) {
        if (own == null) {
            own = new MutableBuffer(chunk != null ? chunk.bytes(0, chunk.size()) : new byte[0], maxHeld);
            chunk = null;
        }
        int status = own.replace(start, length, data);
        if (status == Status.OK) {
            changed = true;
        }
        return status;
    }
}
