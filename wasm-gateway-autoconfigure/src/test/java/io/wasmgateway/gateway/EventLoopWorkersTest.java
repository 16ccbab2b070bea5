package io.wasmgateway.gateway;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.netty.resources.LoopResources;

import static org.assertj.core.api.Assertions.assertThat;

class EventLoopWorkersTest {

    @AfterEach
    void clearProperty() {
        System.clearProperty(EventLoopWorkers.IO_WORKER_COUNT_PROPERTY);
    }

    @Test
    void matchesReactorNettysDefaultWorkerCount() {
        assertThat(EventLoopWorkers.defaultCount()).isEqualTo(LoopResources.DEFAULT_IO_WORKER_COUNT);
    }

    @Test
    void isAtLeastFour() {
        assertThat(EventLoopWorkers.defaultCount())
            .isEqualTo(Math.max(4, Runtime.getRuntime().availableProcessors()));
    }

    @Test
    void followsTheReactorNettySystemProperty() {
        System.setProperty(EventLoopWorkers.IO_WORKER_COUNT_PROPERTY, "7");

        assertThat(EventLoopWorkers.defaultCount()).isEqualTo(7);
    }
}
