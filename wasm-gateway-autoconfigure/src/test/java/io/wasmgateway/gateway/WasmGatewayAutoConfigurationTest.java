package io.wasmgateway.gateway;

import io.wasmgateway.gateway.exchange.ProxyWasmExchangeFilter;
import io.wasmgateway.gateway.filter.ProxyWasmGatewayFilterFactory;
import io.wasmgateway.host.FailurePolicy;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.cloud.gateway.config.GatewayAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

class WasmGatewayAutoConfigurationTest {

    private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, WebFluxAutoConfiguration.class,
                GatewayAutoConfiguration.class, WasmGatewayAutoConfiguration.class))
        .withBean(ServerProperties.class)
        .withPropertyValues("wasm.gateway.modules.headers.location=classpath:filters/header_filter.wasm",
                "wasm.gateway.modules.headers.instances=1");

    @Test
    void isRegisteredAsAnAutoConfiguration() {
        assertThat(ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()))
            .contains(WasmGatewayAutoConfiguration.class.getName());
    }

    @Test
    void loadsTheModulesAndProvidesTheFilterAndTheGlobalFilter() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(WasmModuleRegistry.class).names()).containsExactly("headers");
            assertThat(context.getBean(WasmModuleRegistry.class).find("headers")).get()
                .satisfies(module -> assertThat(module.instanceCount()).isEqualTo(1));
            assertThat(context).hasSingleBean(ProxyWasmGatewayFilterFactory.class);
            assertThat(context).hasSingleBean(ProxyWasmExchangeFilter.class);
        });
    }

    @Test
    void aModuleGetsOneInstancePerEventLoopByDefault() {
        runner.withPropertyValues("wasm.gateway.modules.headers.instances=").run(context -> assertThat(
                context.getBean(WasmModuleRegistry.class).find("headers").get().instanceCount())
            .isEqualTo(EventLoopWorkers.defaultCount()));
    }

    @Test
    void isOffWhenDisabled() {
        runner.withPropertyValues("wasm.gateway.enabled=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(WasmModuleRegistry.class);
            assertThat(context).doesNotHaveBean(ProxyWasmGatewayFilterFactory.class);
        });
    }

    @Test
    void isOffWhenTheGatewayIsOff() {
        runner.withPropertyValues("spring.cloud.gateway.server.webflux.enabled=false")
            .run(context -> assertThat(context).doesNotHaveBean(WasmModuleRegistry.class));
    }

    @Test
    void bindsTheFailurePolicy() {
        runner.withPropertyValues("wasm.gateway.modules.headers.failure-policy=fail-open")
            .run(context -> assertThat(context.getBean(WasmModuleRegistry.class).find("headers").get()
                .failurePolicy()).isEqualTo(FailurePolicy.FAIL_OPEN));
    }

    @Test
    void aMaxMemoryBelowOnePageFailsTheContext() {
        runner.withPropertyValues("wasm.gateway.modules.headers.max-memory=1KB")
            .run(context -> assertThat(context).getFailure()
                .rootCause()
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("max memory must be between 1 and 16384 pages"));
    }

    @Test
    void aModuleThatIsNotRequiredAndCannotLoadIsRecordedAsFailed() {
        runner.withPropertyValues("wasm.gateway.modules.headers.location=classpath:nothing-here.wasm",
                "wasm.gateway.modules.headers.required=false")
            .run(context -> {
                assertThat(context).hasNotFailed();
                WasmModuleRegistry registry = context.getBean(WasmModuleRegistry.class);
                assertThat(registry.names()).isEmpty();
                assertThat(registry.failure("headers")).get()
                    .satisfies(failure -> assertThat(failure.reason()).contains("the file does not exist"));
            });
    }

    @Test
    void aModuleThatCannotLoadFailsTheContextNamingModuleLocationAndReason() {
        runner.withPropertyValues("wasm.gateway.modules.headers.location=classpath:nothing-here.wasm")
            .run(context -> assertThat(context).getFailure()
                .rootCause()
                .isInstanceOf(WasmModuleLoadException.class)
                .hasMessage("Wasm module 'headers' (classpath:nothing-here.wasm) cannot be used: the file does not "
                        + "exist"));
    }
}
