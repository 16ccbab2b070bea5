package io.wasmgateway.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The host's scheduler in a test: time moves only when the test calls {@link #advance}, and due tasks (a
 * filter's proxy_on_tick, queue notifications) then run on the test's thread, in order. Nothing sleeps.
 */
public final class TestClock extends AbstractExecutorService implements ScheduledExecutorService {

    private final PriorityQueue<Task<?>> tasks = new PriorityQueue<>(Comparator.<Task<?>>comparingLong(t -> t.due)
        .thenComparingLong(t -> t.sequence));

    private final AtomicLong sequence = new AtomicLong();

    private long now; // nanoseconds since the clock was made

    private boolean shutdown;

    /** How much time has passed on this clock. */
    public synchronized Duration elapsed() {
        return Duration.ofNanos(now);
    }

    /** Moves time forward, running every task that falls due on the way (periodic ones as often as due). */
    public void advance(Duration duration) {
        long target;
        synchronized (this) {
            target = now + duration.toNanos();
        }
        while (true) {
            Task<?> next;
            synchronized (this) {
                next = tasks.peek();
                if (next == null || next.due > target) {
                    now = target;
                    return;
                }
                tasks.poll();
                now = Math.max(now, next.due);
            }
            next.run();
        }
    }

    /** Runs what is due now (work handed over with {@link #execute}), without moving time. */
    public void runDue() {
        advance(Duration.ZERO);
    }

    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return add(new Task<>(() -> {
            command.run();
            return null;
        }, unit.toNanos(Math.max(0, delay)), 0));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return add(new Task<>(callable, unit.toNanos(Math.max(0, delay)), 0));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return periodic(command, initialDelay, period, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return periodic(command, initialDelay, delay, unit);
    }

    private ScheduledFuture<?> periodic(Runnable command, long initialDelay, long period, TimeUnit unit) {
        if (period <= 0) {
            throw new IllegalArgumentException("period must be positive");
        }
        return add(new Task<>(() -> {
            command.run();
            return null;
        }, unit.toNanos(Math.max(0, initialDelay)), unit.toNanos(period)));
    }

    private synchronized <V> Task<V> add(Task<V> task) {
        if (!shutdown) {
            task.due = now + task.delay;
            task.sequence = sequence.incrementAndGet();
            tasks.add(task);
        }
        return task;
    }

    private synchronized void remove(Task<?> task) {
        tasks.remove(task);
    }

    @Override
    public synchronized void shutdown() {
        shutdown = true;
        tasks.clear();
    }

    @Override
    public synchronized List<Runnable> shutdownNow() {
        shutdown();
        return new ArrayList<>();
    }

    @Override
    public synchronized boolean isShutdown() {
        return shutdown;
    }

    @Override
    public synchronized boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return isShutdown();
    }

    private final class Task<V> implements ScheduledFuture<V> {

        private final Callable<V> work;

        private final long delay;

        private final long period;

        private final CompletableFuture<V> result = new CompletableFuture<>();

        private long due;

        private long sequence;

        Task(Callable<V> work, long delay, long period) {
            this.work = work;
            this.delay = delay;
            this.period = period;
        }

        void run() {
            if (result.isDone()) {
                return;
            }
            try {
                V value = work.call();
                if (period == 0) {
                    result.complete(value);
                    return;
                }
            }
            catch (Exception | Error ex) {
                result.completeExceptionally(ex);
                return;
            }
            synchronized (TestClock.this) {
                if (!shutdown && !result.isDone()) {
                    due += period;
                    sequence = TestClock.this.sequence.incrementAndGet();
                    tasks.add(this);
                }
            }
        }

        @Override
        public long getDelay(TimeUnit unit) {
            synchronized (TestClock.this) {
                return unit.convert(due - now, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            remove(this);
            return result.cancel(false);
        }

        @Override
        public boolean isCancelled() {
            return result.isCancelled();
        }

        @Override
        public boolean isDone() {
            return result.isDone();
        }

        @Override
        public V get() throws InterruptedException, ExecutionException {
            return result.get();
        }

        @Override
        public V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
            return result.get(timeout, unit);
        }
    }
}
