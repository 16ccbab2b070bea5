package io.wasmgateway.gateway;

import io.wasmgateway.gateway.exchange.ProxyWasmExchangeFilter;
import io.wasmgateway.gateway.filter.ProxyWasmGatewayFilterFactory;
import io.wasmgateway.gateway.filter.ProxyWasmPlugins;
import io.wasmgateway.host.HostServices;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.cloud.gateway.config.GatewayAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/** Every bean of the auto-configuration backs off when the application declares its own. */
class ReplaceableBeansTest {

    private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, WebFluxAutoConfiguration.class,
                GatewayAutoConfiguration.class, WasmGatewayAutoConfiguration.class))
        .withBean(ServerProperties.class)
        .withPropertyValues("wasm.gateway.modules.headers.location=classpath:filters/header_filter.wasm",
                "wasm.gateway.modules.headers.instances=1");

    @Test
    void theApplicationsHostServicesAreUsedByTheModules() {
        HostServices own = HostServices.standalone();
        runner.withBean("myHostServices", HostServices.class, () -> own).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).getBean(HostServices.class).isSameAs(own);
            assertThat(context).doesNotHaveBean("wasmHostServices");
        });
    }

    @Test
    void theApplicationsFilterFactoryAndExchangeFilterReplaceOurs() {
        runner.withUserConfiguration(OwnFilters.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).getBean(ProxyWasmGatewayFilterFactory.class).isInstanceOf(MyFactory.class);
            assertThat(context).hasSingleBean(ProxyWasmExchangeFilter.class);
            assertThat(context).hasBean("myExchangeFilter").doesNotHaveBean("proxyWasmExchangeFilter");
        });
    }

    @Test
    void theApplicationsTimersAndReloaderReplaceOurs() {
        runner.withUserConfiguration(OwnLifecycle.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(WasmTimers.class).hasBean("myTimers");
            assertThat(context).hasSingleBean(WasmModuleReloader.class).hasBean("myReloader");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnFilters {

        @Bean
        MyFactory myFactory(ProxyWasmPlugins plugins) {
            return new MyFactory(plugins);
        }

        @Bean
        ProxyWasmExchangeFilter myExchangeFilter() {
            return new ProxyWasmExchangeFilter();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnLifecycle {

        @Bean
        WasmTimers myTimers() {
            return new WasmTimers();
        }

        @Bean
        WasmModuleReloader myReloader(WasmModuleRegistry registry, ProxyWasmPlugins plugins) {
            return new WasmModuleReloader(registry, plugins);
        }
    }

    static class MyFactory extends ProxyWasmGatewayFilterFactory {

        MyFactory(ProxyWasmPlugins plugins) {
            super(plugins);
        }
    }
}
