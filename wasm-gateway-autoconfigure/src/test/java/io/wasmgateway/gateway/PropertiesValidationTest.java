package io.wasmgateway.gateway;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.cloud.gateway.config.GatewayAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/** Declarative rules on {@code wasm.gateway.*} are Jakarta constraints, reported by Boot's binder. */
class PropertiesValidationTest {

    private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, WebFluxAutoConfiguration.class,
                GatewayAutoConfiguration.class, WasmGatewayAutoConfiguration.class))
        .withBean(ServerProperties.class)
        .withPropertyValues("wasm.gateway.modules.headers.location=classpath:filters/header_filter.wasm",
                "wasm.gateway.modules.headers.instances=1");

    @Test
    void aModuleWithoutInstancesIsRefusedNamingTheProperty() {
        runner.withPropertyValues("wasm.gateway.modules.headers.instances=0")
            .run(context -> assertThat(context).getFailure()
                .rootCause()
                .isInstanceOf(BindValidationException.class)
                .hasMessageContaining("wasm.gateway.modules[headers].instances")
                .hasMessageContaining("must be greater than 0"));
    }

    @Test
    void aClusterWithoutUriAndLimitsBelowOneAreRefused() {
        runner.withPropertyValues("wasm.gateway.clusters.auth.max-connections=0",
                "wasm.gateway.shared-queues.max-depth=-1")
            .run(context -> assertThat(context).getFailure()
                .rootCause()
                .isInstanceOf(BindValidationException.class)
                .hasMessageContaining("clusters[auth].uri")
                .hasMessageContaining("clusters[auth].maxConnections")
                .hasMessageContaining("sharedQueues.maxDepth"));
    }
}
