package io.wasmgateway.it.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;

/** A real gateway on a random port, configured by a YAML file under {@code gateways/} and extra properties. */
public final class Gateway implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private Gateway(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /**
     * Starts a gateway.
     *
     * @param config the YAML file's name under {@code gateways/}, without ".yml"
     * @param properties more properties (e.g. {@code upstream.port}), taking precedence over the file
     * @param configurations more configuration classes (e.g. Java routes)
     */
    public static Gateway start(String config, Map<String, ?> properties, Class<?>... configurations) {
        return new Gateway(run(config, properties, configurations));
    }

    /** Starts a gateway that is expected to fail; the caller asserts on the exception. */
    public static ConfigurableApplicationContext run(String config, Map<String, ?> properties,
            Class<?>... configurations) {
        List<String> args = new ArrayList<>();
        args.add("--spring.config.location=classpath:gateways/" + config + ".yml");
        args.add("--server.port=0");
        properties.forEach((name, value) -> args.add("--" + name + "=" + value));
        return new SpringApplicationBuilder(TestGatewayApplication.class).sources(configurations)
            .web(WebApplicationType.REACTIVE)
            .run(args.toArray(String[]::new));
    }

    public int port() {
        return Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
    }

    /**
     * A client for the gateway. Tests read every body: an unread body's buffers would be reported as leaks. Each
     * request has a connection of its own: on a keep-alive connection Reactor Netty 1.3.6 stops reading after a
     * request that arrived before the previous response's operations had ended is answered at once
     * (reactor/reactor-netty#4361), which Spring's own endpoints can cause (a response completed on another
     * thread); tests of other things must not hang on it. OutboundCallsTest covers that the gateway does not cause it.
     */
    public WebTestClient client() {
        // no compression: a test that does not read a gzip body would leave the decoder's buffers unreleased
        return WebTestClient.bindToServer(new ReactorClientHttpConnector(HttpClient.create(ConnectionProvider.newConnection())))
            .baseUrl("http://localhost:" + port())
            .responseTimeout(Duration.ofSeconds(30))
            .build();
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    @Override
    public void close() {
        context.close();
    }
}
