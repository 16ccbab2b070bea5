package io.wasmgateway.it.support;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/** A gateway with nothing but auto-configuration: routes and modules come from the test's YAML. */
@SpringBootConfiguration
@EnableAutoConfiguration
public class TestGatewayApplication {

    @Bean
    SlowExchangeReporter slowExchangeReporter() {
        return new SlowExchangeReporter();
    }
}
