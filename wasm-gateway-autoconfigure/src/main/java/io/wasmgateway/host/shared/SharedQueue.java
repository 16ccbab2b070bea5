package io.wasmgateway.host.shared;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One bounded FIFO of messages, with the listeners of the VMs that registered it. Guarded by its own monitor;
 * listeners are called outside it.
 */
final class SharedQueue {

    final int id;
    final String vmId;
    final String name;
    private final int maxDepth;
    private final long maxBytes;
    private final Deque<byte[]> messages = new ArrayDeque<>();
    private long bytes;
    // In registration order; the last one is woken (see SharedQueues#register).
    private final Deque<QueueListener> listeners = new ArrayDeque<>();

    SharedQueue(int id, String vmId, String name, int maxDepth, long maxBytes) {
        this.id = id;
        this.vmId = vmId;
        this.name = name;
        this.maxDepth = maxDepth;
        this.maxBytes = maxBytes;
    }

    SharedStatus enqueue(byte[] message) {
        QueueListener listener;
        synchronized (this) {
            if (message.length > maxBytes) {
                return SharedStatus.TOO_LARGE;
            }
            if (messages.size() >= maxDepth || bytes + message.length > maxBytes) {
                return SharedStatus.FULL;
            }
            messages.addLast(message);
            bytes += message.length;
            listener = listeners.peekLast();
        }
        // Outside the lock: the listener may well dequeue, or enqueue elsewhere.
        if (listener != null) {
            listener.onQueueReady(id);
        }
        return SharedStatus.OK;
    }

    /** The oldest message, or null when empty. */
    synchronized byte[] dequeue() {
        byte[] message = messages.pollFirst();
        if (message != null) {
            bytes -= message.length;
        }
        return message;
    }

    /** Removes every message; returns how many there were. */
    synchronized int drain() {
        int drained = messages.size();
        messages.clear();
        bytes = 0;
        return drained;
    }

    /** Makes the listener the one woken, moving it last if it was already registered. */
    synchronized void addListener(QueueListener listener) {
        listeners.remove(listener);
        listeners.addLast(listener);
    }

    synchronized void removeListener(QueueListener listener) {
        listeners.remove(listener);
    }

    synchronized SharedQueues.QueueInfo info() {
        return new SharedQueues.QueueInfo(id, vmId, name, messages.size(), bytes);
    }
}
