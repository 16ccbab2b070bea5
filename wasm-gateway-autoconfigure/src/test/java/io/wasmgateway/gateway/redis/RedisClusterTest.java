package io.wasmgateway.gateway.redis;

import java.util.concurrent.CompletionException;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedisClusterTest {

    @Test
    void aConnectWhoseHandshakeFailureLettuceLostIsTriedAgainAndNoOtherIs() {
        assertThat(RedisCluster.lostHandshakeFailure(new CompletionException(
                new IllegalStateException("RedisHandshakeHandler not registered")))).isTrue();
        assertThat(RedisCluster.lostHandshakeFailure(new RedisConnectionException("Unable to connect",
                new RedisCommandExecutionException("WRONGPASS invalid username-password pair")))).isFalse();
        assertThat(RedisCluster.lostHandshakeFailure(new IllegalStateException("something else"))).isFalse();
    }

    @Test
    void refusedCredentialsAreSaidSo() {
        assertThat(RedisCluster.reason(new RedisConnectionException("Unable to connect",
                new RedisCommandExecutionException("WRONGPASS invalid username-password pair"))))
            .isEqualTo("the credentials were refused (WRONGPASS invalid username-password pair)");
    }
}
