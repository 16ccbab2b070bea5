package io.wasmgateway.host.vm;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;

import io.wasmgateway.host.LogCapture;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** WASI preview 1 as the host serves it: logs for stdout/stderr, a sandbox for everything else. */
class WasiTest {

    private static final String P1 = "wasi_snapshot_preview1";
    private static final int SUCCESS = 0;
    private static final int BADF = 8;
    private static final int FAULT = 21;
    private static final int NOSYS = 52;

    private final Probe probe = new Probe(Map.of("GREETING", "hi"));

    @AfterEach
    void close() {
        probe.close();
    }

    @Test
    void stdoutLinesAreLoggedAtInfoAndStderrLinesAtError() {
        try (LogCapture log = new LogCapture("wasm.host_probe", Level.INFO)) {
            assertThat(write(P1, 1, "hello\nwor")).isEqualTo(SUCCESS);
            assertThat(write(P1, 1, "ld\n")).isEqualTo(SUCCESS);
            assertThat(write("wasi_unstable", 2, "oops\n")).isEqualTo(SUCCESS);
            assertThat(log.lines()).containsExactly("INFO [host_probe] hello", "INFO [host_probe] world",
                    "ERROR [host_probe] oops");
        }
        assertThat(probe.u32(3000)).isEqualTo(5); // bytes written by the last call
    }

    @Test
    void badIovecsAreAFaultNotATrap() {
        assertThat(probe.wasi(P1, "fd_write", 1, Probe.OUTSIDE, 1, 3000)).isEqualTo(FAULT);
        int iovec = probe.put(new byte[8]);
        probe.setU32(iovec, 131000);
        probe.setU32(iovec + 4, 1000);
        assertThat(probe.wasi(P1, "fd_write", 1, iovec, 1, 3000)).isEqualTo(FAULT);
        assertThat(probe.wasi(P1, "fd_write", 1, iovec, 0, Probe.OUTSIDE)).isEqualTo(FAULT);
    }

    @Test
    void writingToAnythingButStdoutAndStderrFails() {
        assertThat(write(P1, 3, "x")).isEqualTo(BADF);
    }

    @Test
    void theEnvironmentIsOnlyWhatTheModuleWasGiven() {
        assertThat(probe.wasi(P1, "environ_sizes_get", 3000, 3004)).isEqualTo(SUCCESS);
        assertThat(probe.u32(3000)).isEqualTo(1);
        assertThat(probe.u32(3004)).isEqualTo("GREETING=hi\0".length());
        assertThat(probe.wasi(P1, "environ_get", 3100, 3200)).isEqualTo(SUCCESS);
        assertThat(probe.u32(3100)).isEqualTo(3200);
        assertThat(new String(probe.bytes(3200, 12), StandardCharsets.UTF_8)).isEqualTo("GREETING=hi\0");
    }

    @Test
    void thereAreNoArguments() {
        assertThat(probe.wasi(P1, "args_sizes_get", 3000, 3004)).isEqualTo(SUCCESS);
        assertThat(probe.u32(3000)).isZero();
        assertThat(probe.u32(3004)).isZero();
    }

    @Test
    void thereAreNoFilesToOpen() {
        assertThat(probe.wasi(P1, "fd_prestat_get", 3, 3000)).isEqualTo(BADF);
        int path = probe.put("/etc/passwd");
        assertThat(probe.wasi(P1, "path_open", 3, 0, path, 11, 0, -1L, -1L, 0, 3000)).isEqualTo(BADF);
    }

    @Test
    void stdinIsEmpty() {
        int iovec = probe.put(new byte[8]);
        probe.setU32(iovec, 4000);
        probe.setU32(iovec + 4, 16);
        assertThat(probe.wasi(P1, "fd_read", 0, iovec, 1, 3000)).isEqualTo(SUCCESS);
        assertThat(probe.u32(3000)).isZero();
    }

    @Test
    void randomnessAndClocksWork() {
        assertThat(probe.wasi(P1, "random_get", 4000, 32)).isEqualTo(SUCCESS);
        assertThat(probe.bytes(4000, 32)).isNotEqualTo(new byte[32]);
        assertThat(probe.wasi(P1, "clock_time_get", 0, 1000L, 3000)).isEqualTo(SUCCESS);
        assertThat(probe.u64(3000)).isGreaterThan(1_600_000_000_000_000_000L);
        assertThat(probe.wasi(P1, "sched_yield")).isEqualTo(SUCCESS);
    }

    @Test
    void pollOneoffNeverSleeps() {
        // one clock subscription of 10 seconds
        int subscription = probe.put(new byte[48]);
        probe.memory().writeLong(subscription, 42L); // userdata
        probe.memory().writeByte(subscription + 8, (byte) 0); // clock
        probe.memory().writeLong(subscription + 24, 10_000_000_000L);
        long start = System.nanoTime();
        assertThat(probe.wasi(P1, "poll_oneoff", subscription, 5000, 1, 3000)).isEqualTo(SUCCESS);
        assertThat(System.nanoTime() - start).isLessThan(1_000_000_000L);
        assertThat(probe.u32(3000)).isEqualTo(1);
        assertThat(probe.u64(5000)).isEqualTo(42L);
        assertThat(probe.wasi(P1, "poll_oneoff", Probe.OUTSIDE, 5000, 1, 3000)).isEqualTo(FAULT);
    }

    @Test
    void whatNobodyImplementsAnswersNosys() {
        assertThat(probe.wasi(P1, "sock_accept", 3, 0, 3000)).isEqualTo(NOSYS);
        assertThat(probe.wasi(P1, "proc_raise", 9)).isEqualTo(NOSYS);
        assertThat(probe.wasi(P1, "fd_no_such_function", 1)).isEqualTo(NOSYS);
    }

    private int write(String module, int fd, String text) {
        int data = probe.put(text);
        int iovec = probe.put(new byte[8]);
        probe.setU32(iovec, data);
        probe.setU32(iovec + 4, text.length());
        return probe.wasi(module, "fd_write", fd, iovec, 1, 3000);
    }
}
