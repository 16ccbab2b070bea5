package io.wasmgateway.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.wasmgateway.gateway.calls.HttpCallMetrics;
import io.wasmgateway.gateway.calls.WebClientHttpCallDispatcher;
import io.wasmgateway.gateway.calls.grpc.GrpcCallMetrics;
import io.wasmgateway.gateway.calls.grpc.GrpcJavaCallDispatcher;
import io.wasmgateway.gateway.exchange.ProxyWasmExchangeFilter;
import io.wasmgateway.gateway.exchange.ProxyWasmRequestBodyFilter;
import io.wasmgateway.gateway.exchange.ResponseAborts;
import io.wasmgateway.gateway.filter.ProxyWasmFilterDefinitions;
import io.wasmgateway.gateway.filter.ProxyWasmGatewayFilterFactory;
import io.wasmgateway.gateway.filter.ProxyWasmPlugins;
import io.wasmgateway.gateway.filter.ProxyWasmRouteValidator;
import io.wasmgateway.gateway.metrics.MicrometerCallbackObserver;
import io.wasmgateway.gateway.metrics.MicrometerMetricSink;
import io.wasmgateway.host.CallbackObserver;
import io.wasmgateway.host.ForeignFunction;
import io.wasmgateway.host.ForeignFunctions;
import io.wasmgateway.host.HostServices;
import io.wasmgateway.host.RedisCallDispatcher;
import io.wasmgateway.host.shared.SharedData;
import io.wasmgateway.host.shared.SharedQueues;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.cloud.gateway.config.GatewayAutoConfiguration;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.support.ConfigurationService;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.ResourceLoader;

/**
 * Proxy-Wasm filters for Spring Cloud Gateway (server-webflux): the configured modules, the {@code ProxyWasm}
 * route filter and the global filter that runs their response callbacks. Off with
 * {@code wasm.gateway.enabled=false}, and whenever the gateway itself is off.
 */
@AutoConfiguration(after = { GatewayAutoConfiguration.class, SslAutoConfiguration.class })
@ConditionalOnClass({ GlobalFilter.class, GatewayProperties.class })
@ConditionalOnBooleanProperty(name = "wasm.gateway.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "spring.cloud.gateway.server.webflux.enabled", matchIfMissing = true)
@EnableConfigurationProperties(WasmGatewayProperties.class)
public class WasmGatewayAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    WasmTimers wasmTimers() {
        return new WasmTimers();
    }

    @Bean
    @ConditionalOnMissingBean
    WebClientHttpCallDispatcher wasmHttpCallDispatcher(WasmGatewayProperties properties,
            ResourceLoader resourceLoader, ObjectProvider<MeterRegistry> meterRegistry,
            ObjectProvider<SslBundles> sslBundles) {
        return new WebClientHttpCallDispatcher(properties.getClusters(), resourceLoader,
                new HttpCallMetrics(meterRegistry.getIfUnique()), sslBundles.getIfAvailable());
    }

    @Bean
    @ConditionalOnMissingBean
    GrpcJavaCallDispatcher wasmGrpcCallDispatcher(WasmGatewayProperties properties, ResourceLoader resourceLoader,
            ObjectProvider<MeterRegistry> meterRegistry) {
        return new GrpcJavaCallDispatcher(properties.getClusters(), resourceLoader,
                new GrpcCallMetrics(meterRegistry.getIfUnique()));
    }

    @Bean
    @ConditionalOnMissingBean
    HostServices wasmHostServices(WasmGatewayProperties properties, WebClientHttpCallDispatcher httpCalls,
            GrpcJavaCallDispatcher grpcCalls, WasmTimers timers, ObjectProvider<MeterRegistry> meterRegistry,
            ObjectProvider<RedisCallDispatcher> redisCalls, ObjectProvider<ForeignFunction> foreignFunctions) {
        MeterRegistry registry = meterRegistry.getIfUnique();
        WasmGatewayProperties.SharedDataStore data = properties.getSharedData();
        WasmGatewayProperties.SharedQueueLimits queues = properties.getSharedQueues();
        return new HostServices(httpCalls,
                new SharedData(data.getMaxEntries(), data.getMaxBytes().toBytes(), data.getEviction()),
                new SharedQueues(queues.getMaxQueues(), queues.getMaxDepth(), queues.getMaxBytes().toBytes()),
                registry != null ? new MicrometerMetricSink(registry) : HostServices.standalone().metrics(),
                timers.scheduler(), registry != null ? new MicrometerCallbackObserver(registry) : CallbackObserver.NONE,
                grpcCalls, redisCalls.getIfAvailable(() -> RedisCallDispatcher.NONE),
                ForeignFunctions.withBuiltIns(foreignFunctions.orderedStream().toList()));
    }

    @Bean
    @ConditionalOnMissingBean
    WasmModuleRegistry wasmModuleRegistry(WasmGatewayProperties properties, ResourceLoader resourceLoader,
            HostServices wasmHostServices, ObjectProvider<SslBundles> sslBundles) {
        return new WasmModuleRegistry(properties, resourceLoader, wasmHostServices, sslBundles.getIfAvailable());
    }

    @Bean
    @ConditionalOnMissingBean
    ProxyWasmPlugins proxyWasmPlugins(WasmModuleRegistry registry) {
        return new ProxyWasmPlugins(registry);
    }

    @Bean
    @ConditionalOnMissingBean
    WasmModuleReloader wasmModuleReloader(WasmModuleRegistry registry, ProxyWasmPlugins plugins) {
        return new WasmModuleReloader(registry, plugins);
    }

    @Bean
    @ConditionalOnMissingBean
    ModuleFileWatcher wasmModuleFileWatcher(WasmGatewayProperties properties, ResourceLoader resourceLoader,
            WasmModuleReloader reloader) {
        return new ModuleFileWatcher(properties, resourceLoader, reloader);
    }

    @Bean
    @ConditionalOnMissingBean
    ProxyWasmGatewayFilterFactory proxyWasmGatewayFilterFactory(ProxyWasmPlugins plugins,
            ObjectProvider<ObservationRegistry> observations) {
        return new ProxyWasmGatewayFilterFactory(plugins, observations.getIfAvailable(() -> ObservationRegistry.NOOP));
    }

    @Bean
    @ConditionalOnMissingBean
    ProxyWasmExchangeFilter proxyWasmExchangeFilter(ObjectProvider<MeterRegistry> meterRegistry) {
        return new ProxyWasmExchangeFilter(new ResponseAborts(meterRegistry.getIfUnique()));
    }

    @Bean
    @ConditionalOnMissingBean
    ProxyWasmRequestBodyFilter proxyWasmRequestBodyFilter() {
        return new ProxyWasmRequestBodyFilter();
    }

    // static: a post-processor must not pull this configuration (and its beans) in early
    @Bean
    @ConditionalOnMissingBean
    static ProxyWasmFilterDefinitions proxyWasmFilterDefinitions() {
        return new ProxyWasmFilterDefinitions();
    }

    @Bean
    @ConditionalOnMissingBean
    ProxyWasmRouteValidator proxyWasmRouteValidator(GatewayProperties gatewayProperties,
            ConfigurationService configurationService, ProxyWasmGatewayFilterFactory factory) {
        return new ProxyWasmRouteValidator(gatewayProperties, configurationService, factory);
    }
}
