package io.wasmgateway.it;

import java.time.Duration;

import io.wasmgateway.it.support.BlockingCalls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** BlockHound is installed for the whole integration-test JVM (see ItSession): blocking on a reactive thread fails. */
class BlockHoundTest {

    @AfterEach
    void forgetTheBlockingCallsMadeOnPurpose() {
        BlockingCalls.drain();
    }

    @Test
    void blockingOnAParallelThreadFails() {
        Mono<Void> blocking = Mono.fromRunnable(BlockHoundTest::sleep).subscribeOn(Schedulers.parallel()).then();

        assertThatThrownBy(() -> blocking.block(Duration.ofSeconds(5))).hasCauseInstanceOf(BlockingOperationError.class)
            .hasStackTraceContaining("Thread.sleep");
        assertThat(BlockingCalls.drain()).anySatisfy(call -> assertThat(call).contains("sleep", "parallel"));
    }

    @Test
    void blockingOnANettyEventLoopFails() {
        reactor.netty.resources.LoopResources loops = reactor.netty.resources.LoopResources.create("blockhound-test", 1,
                true);
        try {
            io.netty.channel.EventLoop loop = loops.onServer(false).next();
            Mono<Void> blocking = Mono.fromFuture(() -> java.util.concurrent.CompletableFuture.runAsync(
                    BlockHoundTest::sleep, loop));

            assertThatThrownBy(() -> blocking.block(Duration.ofSeconds(5))).hasRootCauseInstanceOf(
                    BlockingOperationError.class);
        }
        finally {
            loops.dispose();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(10);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
