package io.wasmgateway.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A gateway that shows the example filters (see application.yml). It is its own upstream: the routes forward
 * to {@link UpstreamEcho} under /upstream on the same port, so nothing else needs to run.
 */
@SpringBootApplication
public class SampleGatewayApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleGatewayApplication.class, args);
    }
}
