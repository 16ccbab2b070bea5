package io.wasmgateway.host.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.wasmgateway.host.shared.SharedQueues.Dequeued;
import io.wasmgateway.host.shared.SharedQueues.QueueInfo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class SharedQueuesTest {

    private final SharedQueues queues = new SharedQueues(10, 3, 100);

    /** A VM's listener that records its wake-ups. */
    private static final class Vm implements QueueListener {
        final List<Integer> wakeUps = new CopyOnWriteArrayList<>();

        @Override
        public void onQueueReady(int queueId) {
            wakeUps.add(queueId);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private int register(String vmId, String name, QueueListener listener) {
        return queues.register(vmId, name, listener).orElseThrow();
    }

    @Test
    void registeringTheSameVmIdAndNameAgainReturnsTheSameId() {
        int id = register("vm", "jobs", new Vm());
        assertThat(register("vm", "jobs", new Vm())).isEqualTo(id);
        assertThat(queues.list()).hasSize(1);
    }

    @Test
    void idsAreNonZeroAndDistinctPerVmIdAndName() {
        List<Integer> ids = List.of(register("vm", "jobs", new Vm()), register("vm", "logs", new Vm()),
                register("other-vm", "jobs", new Vm()), register("", "", new Vm()));
        assertThat(ids).doesNotHaveDuplicates().doesNotContain(0);
    }

    @Test
    void anyoneResolvesAQueueByTheRegisteringVmIdAndName() {
        int id = register("producer-vm", "jobs", new Vm());

        assertThat(queues.resolve("producer-vm", "jobs")).hasValue(id);
        assertThat(queues.resolve("consumer-vm", "jobs")).isEmpty();
        assertThat(queues.resolve("producer-vm", "other")).isEmpty();
    }

    @Test
    void messagesComeOutInOrderThenTheQueueIsEmpty() {
        int id = register("vm", "jobs", new Vm());
        queues.enqueue(id, bytes("a"));
        queues.enqueue(id, bytes("b"));

        assertThat(queues.dequeue(id).message()).isEqualTo(bytes("a"));
        Dequeued second = queues.dequeue(id);
        assertThat(second.status()).isEqualTo(SharedStatus.OK);
        assertThat(second.message()).isEqualTo(bytes("b"));
        assertThat(queues.dequeue(id)).isEqualTo(new Dequeued(SharedStatus.EMPTY, null));
    }

    @Test
    void unknownQueueIdsAreNotFound() {
        assertThat(queues.enqueue(42, bytes("a"))).isEqualTo(SharedStatus.NOT_FOUND);
        assertThat(queues.dequeue(42)).isEqualTo(new Dequeued(SharedStatus.NOT_FOUND, null));
        assertThat(queues.drain(42)).isEmpty();
    }

    @Test
    void enqueueBeyondTheDepthIsFullAndWakesNobody() {
        Vm vm = new Vm();
        int id = register("vm", "jobs", vm);
        for (int i = 0; i < 3; i++) {
            assertThat(queues.enqueue(id, bytes("m" + i))).isEqualTo(SharedStatus.OK);
        }

        assertThat(queues.enqueue(id, bytes("m3"))).isEqualTo(SharedStatus.FULL);
        assertThat(vm.wakeUps).hasSize(3);
        assertThat(queues.dequeue(id).message()).isEqualTo(bytes("m0"));
        assertThat(queues.enqueue(id, bytes("m3"))).isEqualTo(SharedStatus.OK);
    }

    @Test
    void enqueueBeyondTheBytesIsFullAndALargerMessageThanTheQueueIsTooLarge() {
        int id = register("vm", "jobs", new Vm());
        assertThat(queues.enqueue(id, new byte[60])).isEqualTo(SharedStatus.OK);

        assertThat(queues.enqueue(id, new byte[41])).isEqualTo(SharedStatus.FULL);
        assertThat(queues.enqueue(id, new byte[40])).isEqualTo(SharedStatus.OK);
        assertThat(queues.enqueue(id, new byte[101])).isEqualTo(SharedStatus.TOO_LARGE);
    }

    @Test
    void enqueueWakesTheRegisteringListenerAfterTheMessageIsRecorded() {
        List<byte[]> seenByListener = new ArrayList<>();
        AtomicInteger queueId = new AtomicInteger();
        // a listener that (unlike a real one) dequeues inline, to prove the message is there when it is called
        queueId.set(register("vm", "jobs", id -> seenByListener.add(queues.dequeue(id).message())));

        assertThat(queues.enqueue(queueId.get(), bytes("hello"))).isEqualTo(SharedStatus.OK);
        assertThat(seenByListener).containsExactly(bytes("hello"));
    }

    @Test
    void theLatestRegistrationIsTheOneWoken() {
        Vm first = new Vm();
        Vm second = new Vm();
        int id = register("vm", "jobs", first);
        register("vm", "jobs", second);

        queues.enqueue(id, bytes("a"));
        assertThat(first.wakeUps).isEmpty();
        assertThat(second.wakeUps).containsExactly(id);

        register("vm", "jobs", first); // registering again makes it the latest again
        queues.enqueue(id, bytes("b"));
        assertThat(first.wakeUps).containsExactly(id);
        assertThat(second.wakeUps).containsExactly(id);
    }

    @Test
    void removingTheLatestListenerHandsWakeUpsToThePreviousRegistration() {
        Vm first = new Vm();
        Vm second = new Vm();
        int id = register("vm", "jobs", first);
        register("vm", "jobs", second);

        queues.removeListener(second);
        queues.enqueue(id, bytes("a"));
        assertThat(first.wakeUps).containsExactly(id);

        queues.removeListener(first);
        assertThat(queues.enqueue(id, bytes("b"))).isEqualTo(SharedStatus.OK); // kept, though nobody is woken
        assertThat(queues.list()).extracting(QueueInfo::depth).containsExactly(2);
    }

    @Test
    void registeringAgainKeepsQueuedMessages() {
        int id = register("vm", "jobs", new Vm());
        queues.enqueue(id, bytes("a"));
        register("vm", "jobs", new Vm());

        assertThat(queues.dequeue(id).message()).isEqualTo(bytes("a"));
    }

    @Test
    void aNewQueueBeyondMaxQueuesIsRefusedButExistingOnesRegisterAgain() {
        SharedQueues small = new SharedQueues(2, 10, 100);
        OptionalInt a = small.register("vm", "a", new Vm());
        small.register("vm", "b", new Vm());

        assertThat(small.register("vm", "c", new Vm())).isEmpty();
        assertThat(small.register("vm", "a", new Vm())).isEqualTo(a);
    }

    @Test
    void listShowsEachQueuesIdVmIdNameAndDepthAndDrainEmptiesOne() {
        int jobs = register("vm-a", "jobs", new Vm());
        int logs = register("vm-b", "logs", new Vm());
        queues.enqueue(jobs, bytes("12"));
        queues.enqueue(jobs, bytes("345"));

        assertThat(queues.list()).containsExactly(new QueueInfo(jobs, "vm-a", "jobs", 2, 5),
                new QueueInfo(logs, "vm-b", "logs", 0, 0));

        assertThat(queues.drain(jobs)).hasValue(2);
        assertThat(queues.dequeue(jobs).status()).isEqualTo(SharedStatus.EMPTY);
        assertThat(queues.list().get(0)).isEqualTo(new QueueInfo(jobs, "vm-a", "jobs", 0, 0));
    }

    @Test
    void limitsMustBePositive() {
        assertThatIllegalArgumentException().isThrownBy(() -> new SharedQueues(0, 1, 1));
        assertThatIllegalArgumentException().isThrownBy(() -> new SharedQueues(1, 0, 1));
        assertThatIllegalArgumentException().isThrownBy(() -> new SharedQueues(1, 1, 0));
    }

    @Test
    @Timeout(60)
    void concurrentProducersAndConsumersLoseAndDuplicateNothing() throws Exception {
        SharedQueues shared = new SharedQueues(1, 64, 1 << 20);
        AtomicInteger wakeUps = new AtomicInteger();
        int id = shared.register("vm", "jobs", queueId -> wakeUps.incrementAndGet()).orElseThrow();
        int producers = 4;
        int perProducer = 5_000;
        ExecutorService pool = Executors.newFixedThreadPool(producers * 2);
        try {
            List<Future<?>> producing = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int producer = p;
                producing.add(pool.submit(() -> {
                    for (int i = 0; i < perProducer; i++) {
                        byte[] message = bytes(producer + ":" + i);
                        while (shared.enqueue(id, message) == SharedStatus.FULL) {
                            Thread.onSpinWait();
                        }
                    }
                    return null;
                }));
            }
            Set<String> consumed = ConcurrentHashMap.newKeySet();
            AtomicInteger duplicates = new AtomicInteger();
            List<Future<?>> consuming = new ArrayList<>();
            for (int c = 0; c < producers; c++) {
                consuming.add(pool.submit(() -> {
                    while (consumed.size() < producers * perProducer) {
                        Dequeued dequeued = shared.dequeue(id);
                        if (dequeued.status() == SharedStatus.OK
                                && !consumed.add(new String(dequeued.message(), StandardCharsets.UTF_8))) {
                            duplicates.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : producing) {
                future.get();
            }
            for (Future<?> future : consuming) {
                future.get();
            }

            assertThat(consumed).hasSize(producers * perProducer);
            assertThat(duplicates).hasValue(0);
            assertThat(shared.dequeue(id).status()).isEqualTo(SharedStatus.EMPTY);
            assertThat(wakeUps).hasValue(producers * perProducer);
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
