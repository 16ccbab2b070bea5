package io.wasmgateway.test.gateway;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * The application {@link WasmGatewayExtension} starts: nothing but auto-configuration (the starter's gateway and
 * wasm host), modules and routes from the test's properties or YAML file, and the test's own configuration
 * classes.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class WasmGatewayTestApplication {

}
