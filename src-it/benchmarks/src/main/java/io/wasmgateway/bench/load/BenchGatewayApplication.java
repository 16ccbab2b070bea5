package io.wasmgateway.bench.load;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The load benchmark's gateway: routes of bench-gateway.yml (one per variant: no filter, AddResponseHeader,
 * ProxyWasm with the C and the AssemblyScript header filter) in front of {@link FastUpstream}. Started by
 * src-it/bench/load.sh.
 */
@SpringBootApplication
public class BenchGatewayApplication {

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(BenchGatewayApplication.class);
        application.setAdditionalProfiles("bench");
        application.run(args);
    }
}
