package io.wasmgateway.host.vm;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The request instances of a module under isolation {@code stream}: a pool of started instances, each with every
 * plugin's root context configured, refilled on a thread of its own (never an event loop, never the shared timer
 * thread). A request leases one instance for all its contexts of the module and the instance is discarded when
 * the last of them finishes. When the pool is empty, a request waits (asynchronously, no thread blocks) for the
 * next instance the refill thread makes.
 */
final class StreamPool {

    /** One request's instance and how many of its contexts are still open. */
    static final class Lease {

        private final Object request;
        private final CompletableFuture<VmInstance> instance;
        private int open; // under the leases map's lock for this request

        Lease(Object request, CompletableFuture<VmInstance> instance) {
            this.request = request;
            this.instance = instance;
        }

        CompletableFuture<VmInstance> instance() {
            return instance;
        }
    }

    private final int size;
    private final Supplier<VmInstance> maker;
    private final Consumer<VmInstance> retirer;
    private final Queue<VmInstance> ready = new ConcurrentLinkedQueue<>();
    private final AtomicInteger readyCount = new AtomicInteger();
    private final Queue<CompletableFuture<VmInstance>> waiting = new ConcurrentLinkedQueue<>();
    private final Map<Object, Lease> leases = new ConcurrentHashMap<>();
    private final AtomicBoolean refilling = new AtomicBoolean();
    private final AtomicInteger generation = new AtomicInteger(); // bumped when a plugin is added
    private final AtomicLong made = new AtomicLong();
    private final AtomicLong waited = new AtomicLong();
    private final ThreadPoolExecutor refiller;
    private volatile String lastProblem;
    private volatile boolean closed;

    /**
     * @param maker makes a started instance with every plugin's root context, or throws {@link LoadProblem}
     * @param retirer stops and releases an instance no request will use again
     */
    StreamPool(String moduleName, int size, Supplier<VmInstance> maker, Consumer<VmInstance> retirer) {
        this.size = size;
        this.maker = maker;
        this.retirer = retirer;
        // handed work from event loops: a lock-free queue and a thread started now, so execute() never parks
        this.refiller = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedTransferQueue<>(),
                task -> {
                    Thread thread = new Thread(task, "wasm-" + moduleName + "-pool");
                    thread.setDaemon(true);
                    return thread;
                });
        this.refiller.prestartAllCoreThreads();
    }

    /** The lease of that request's instance, made (from the pool) for its first context. */
    Lease acquire(Object request) {
        return leases.compute(request, (key, lease) -> {
            Lease current = lease != null ? lease : new Lease(key, take());
            current.open++;
            return current;
        });
    }

    /** Called once per context when it finished: the last one discards the request's instance. */
    void release(Lease lease) {
        AtomicBoolean last = new AtomicBoolean();
        leases.computeIfPresent(lease.request, (key, current) -> {
            if (current != lease || --current.open > 0) {
                return current;
            }
            last.set(true);
            return null;
        });
        if (last.get()) {
            lease.instance.thenAccept(retirer);
        }
    }

    private CompletableFuture<VmInstance> take() {
        VmInstance vm = ready.poll();
        if (vm != null) {
            readyCount.decrementAndGet();
            refill();
            return CompletableFuture.completedFuture(vm);
        }
        CompletableFuture<VmInstance> later = new CompletableFuture<>();
        waited.incrementAndGet();
        waiting.offer(later);
        refill();
        return later;
    }

    /** The instances in the pool lack a new plugin's root context: they are discarded and the pool refilled. */
    void pluginAdded() {
        generation.incrementAndGet();
        VmInstance stale;
        while ((stale = ready.poll()) != null) {
            readyCount.decrementAndGet();
            retirer.accept(stale);
        }
        refill();
    }

    /** Fills the pool on the calling thread (at load, off the event loops). */
    void fillNow() {
        while (readyCount.get() < size) {
            ready.offer(maker.get());
            readyCount.incrementAndGet();
            made.incrementAndGet();
        }
    }

    private void refill() {
        if (closed || !refilling.compareAndSet(false, true)) {
            return;
        }
        try {
            refiller.execute(this::refillNow);
        } catch (RejectedExecutionException e) {
            refilling.set(false);
        }
    }

    /** On the refill thread: makes instances until the pool is full and nobody waits. */
    private void refillNow() {
        try {
            while (!closed && (readyCount.get() < size || !waiting.isEmpty())) {
                int before = generation.get();
                VmInstance vm;
                try {
                    vm = maker.get();
                    made.incrementAndGet();
                } catch (RuntimeException e) {
                    lastProblem = e.getMessage();
                    failWaiting(e);
                    return; // the next request tries again
                }
                if (generation.get() != before) {
                    retirer.accept(vm); // a plugin came while it was made: it lacks that root context
                    continue;
                }
                CompletableFuture<VmInstance> waiter = waiting.poll();
                if (waiter != null) {
                    waiter.complete(vm);
                } else {
                    ready.offer(vm);
                    readyCount.incrementAndGet();
                }
            }
        } finally {
            refilling.set(false);
        }
        if (!closed && (readyCount.get() < size || !waiting.isEmpty())) {
            refill(); // asked for while this run was ending
        }
    }

    private void failWaiting(RuntimeException problem) {
        CompletableFuture<VmInstance> waiter;
        while ((waiter = waiting.poll()) != null) {
            waiter.completeExceptionally(problem);
        }
    }

    /** Instances ready in the pool right now. */
    int readyCount() {
        return readyCount.get();
    }

    /** Requests holding an instance right now. */
    int leasedCount() {
        return leases.size();
    }

    /** Instances made since the module loaded. */
    long madeCount() {
        return made.get();
    }

    /** Requests that found the pool empty and waited for the refill. */
    long waitedCount() {
        return waited.get();
    }

    String lastProblem() {
        return lastProblem;
    }

    void close() {
        closed = true;
        refiller.shutdown();
        failWaiting(new IllegalStateException("the module is closed"));
        VmInstance vm;
        while ((vm = ready.poll()) != null) {
            retirer.accept(vm);
        }
    }
}
