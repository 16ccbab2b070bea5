package io.wasmgateway.gateway;

import java.util.LinkedHashMap;
import java.util.Map;

import io.wasmgateway.host.Engine;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of wasm-gateway: the Proxy-Wasm modules that routes can use with {@code ProxyWasm=<module>}.
 *
 * <pre>
 * wasm:
 *   gateway:
 *     modules:
 *       headers:
 *         location: classpath:filters/header_filter.wasm
 * </pre>
 */
@ConfigurationProperties("wasm.gateway")
public class WasmGatewayProperties {

    /** Whether wasm-gateway is active: its modules, the ProxyWasm filter and its global filter. Default true. */
    private boolean enabled = true;

    /**
     * The Proxy-Wasm modules, by name (the name routes use in {@code ProxyWasm=<name>}). Each takes
     * {@code location} (required), {@code vm-config}, {@code root-id}, {@code environment.<KEY>},
     * {@code engine}, {@code instances} and {@code vm-id}. Default: none.
     */
    private Map<String, Module> modules = new LinkedHashMap<>();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Map<String, Module> getModules() {
        return modules;
    }

    public void setModules(Map<String, Module> modules) {
        this.modules = modules;
    }

    /** One Proxy-Wasm module. */
    public static class Module {

        /**
         * Where the module's binary is, as a Spring resource location: {@code classpath:filters/x.wasm} or
         * {@code file:/etc/gateway/x.wasm}. Required.
         */
        private String location;

        /** The VM configuration, passed to proxy_on_vm_start (buffer 6). Default: empty. */
        private String vmConfig = "";

        /**
         * The root id of this module's plugins (the plugin_root_id property), unless a route sets its own
         * {@code root-id}. Default: empty.
         */
        private String rootId = "";

        /**
         * The environment variables the module sees through WASI; it sees nothing else of the host's
         * environment. Default: none.
         */
        private Map<String, String> environment = new LinkedHashMap<>();

        /**
         * How the module runs: compiler (Chicory's runtime compiler, to JVM bytecode) or interpreter. Default
         * compiler.
         */
        private Engine engine = Engine.COMPILER;

        /**
         * How many VM instances the module gets; each runs one callback at a time. 1 gives one VM that all
         * requests share, for filters that keep state in their root context. Default: one per Reactor Netty
         * event-loop thread (the system property reactor.netty.ioWorkerCount, else the number of processors
         * but at least 4).
         */
        private Integer instances;

        /**
         * The vm_id (the plugin_vm_id property, and the key shared queues are resolved by). Default: the
         * module's name.
         */
        private String vmId;

        public String getLocation() {
            return location;
        }

        public void setLocation(String location) {
            this.location = location;
        }

        public String getVmConfig() {
            return vmConfig;
        }

        public void setVmConfig(String vmConfig) {
            this.vmConfig = vmConfig;
        }

        public String getRootId() {
            return rootId;
        }

        public void setRootId(String rootId) {
            this.rootId = rootId;
        }

        public Map<String, String> getEnvironment() {
            return environment;
        }

        public void setEnvironment(Map<String, String> environment) {
            this.environment = environment;
        }

        public Engine getEngine() {
            return engine;
        }

        public void setEngine(Engine engine) {
            this.engine = engine;
        }

        public Integer getInstances() {
            return instances;
        }

        public void setInstances(Integer instances) {
            this.instances = instances;
        }

        public String getVmId() {
            return vmId;
        }

        public void setVmId(String vmId) {
            this.vmId = vmId;
        }
    }
}
