package io.wasmgateway.host.vm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReloadBackoffTest {

    @Test
    void noPauseAfterAFirstFailureThenDoublingFrom100MsUpTo30s() {
        assertThat(ReloadBackoff.delayMillis(1)).isZero();
        assertThat(ReloadBackoff.delayMillis(2)).isEqualTo(100);
        assertThat(ReloadBackoff.delayMillis(3)).isEqualTo(200);
        assertThat(ReloadBackoff.delayMillis(4)).isEqualTo(400);
        assertThat(ReloadBackoff.delayMillis(10)).isEqualTo(25_600);
        assertThat(ReloadBackoff.delayMillis(11)).isEqualTo(30_000);
        assertThat(ReloadBackoff.delayMillis(1_000)).isEqualTo(30_000);
    }
}
