package io.wasmgateway.it;

import java.util.Map;

import io.wasmgateway.gateway.WasmModuleLoadException;
import io.wasmgateway.gateway.redis.RedisConfigurationException;
import io.wasmgateway.it.support.Gateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Redis configuration that cannot work stops the startup, saying what and where (no Redis server needed). */
@ExtendWith(OutputCaptureExtension.class)
class RedisStartupFailureTest {

    @Test
    void aFilterNamingAnUnknownClusterStopsTheStartupNamingTheClusterAndTheProperty(CapturedOutput output) {
        Throwable failure = catchThrowable(() -> Gateway.run("redis-unknown", Map.of()));

        WasmModuleLoadException cause = findCause(failure, WasmModuleLoadException.class);
        assertThat(cause.module()).isEqualTo("limiter");
        assertThat(cause.getMessage()).contains("proxy_on_configure");
        assertThat(output).contains("unknown Redis cluster 'nowhere': configure it as wasm.gateway.redis.nowhere",
                "redis_rate_limit_filter: cannot use Redis cluster 'nowhere'", "APPLICATION FAILED TO START");
    }

    @Test
    void aClusterWithABadUrlStopsTheStartup(CapturedOutput output) {
        Throwable failure = catchThrowable(() -> Gateway.run("redis-unknown", Map.of(
                "wasm.gateway.redis.nowhere.url", "http://localhost:6379")));

        RedisConfigurationException cause = findCause(failure, RedisConfigurationException.class);
        assertThat(cause.getMessage()).isEqualTo(
                "Redis cluster 'nowhere': url 'http://localhost:6379' is not redis://host:port or rediss://host:port");
        assertThat(output).contains("APPLICATION FAILED TO START", "wasm.gateway.redis.nowhere.url");
    }

    @Test
    void replicationThroughAnUnknownClusterStopsTheStartup(CapturedOutput output) {
        Throwable failure = catchThrowable(() -> Gateway.run("redis-unknown", Map.of(
                "wasm.gateway.redis.nowhere.url", "redis://localhost:1",
                "wasm.gateway.shared-data.replication.redis", "elsewhere",
                "wasm.gateway.shared-data.replication.prefixes", "deny:")));

        RedisConfigurationException cause = findCause(failure, RedisConfigurationException.class);
        assertThat(cause.getMessage()).isEqualTo(
                "Shared-data replication names Redis cluster 'elsewhere', which is not configured");
        assertThat(output).contains("APPLICATION FAILED TO START", "wasm.gateway.redis.elsewhere.url");
    }

    private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in " + failure, failure);
    }
}
