package io.wasmgateway.host.shared;

/**
 * Told that a message was added to a shared queue; supplied by the VM instance (and root context) that
 * registered the queue, so that it can later call the guest's {@code proxy_on_queue_ready}.
 *
 * <p>Called on the enqueuing thread, after the message is recorded and outside the store's locks, usually in
 * the middle of another VM's callback. It must therefore not run guest code inline, nor block: it should only
 * record the wake-up and schedule {@code proxy_on_queue_ready(rootContextId, queueId)} on the registering VM,
 * to run after the enqueuing callback returns. It is called once per message; coalescing is its business.
 * It must not throw: an exception reaches the enqueuing host call, although the message is already queued.
 */
@FunctionalInterface
public interface QueueListener {

    void onQueueReady(int queueId);
}
