package io.wasmgateway.gateway.redis;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code wasm.gateway.redis.*}: the Redis clusters filters call (proxy_redis_call), and
 * {@code wasm.gateway.shared-data.replication.*}: which shared-data keys are replicated across gateways through
 * one of them.
 */
@ConfigurationProperties("wasm.gateway")
public class WasmRedisProperties {

    /**
     * Redis clusters by name, the name a filter passes to proxy_redis_init and proxy_redis_call. A cluster named
     * {@code default} is taken from Spring Boot's {@code spring.data.redis.*} when those are set and no
     * {@code wasm.gateway.redis.default} is. Default none.
     */
    private Map<String, Cluster> redis = new LinkedHashMap<>();

    private final SharedData sharedData = new SharedData();

    public Map<String, Cluster> getRedis() {
        return redis;
    }

    public void setRedis(Map<String, Cluster> redis) {
        this.redis = redis;
    }

    public SharedData getSharedData() {
        return sharedData;
    }

    /** One Redis server. */
    public static class Cluster {

        /** {@code redis://host:port} or {@code rediss://host:port} (TLS); user, password and /database allowed. */
        private URI url;

        /** The user for AUTH (ACL); overrides one in the url. A filter's proxy_redis_init may give its own. */
        private String username;

        /** The password for AUTH; overrides one in the url. A filter's proxy_redis_init may give its own. */
        private String password;

        /** The database; overrides one in the url. A filter's {@code ?db=N} chooses its own. Default 0. */
        private Integer database;

        /** How long a call may wait for its reply when the filter's proxy_redis_init gave no timeout. */
        private Duration timeout = Duration.ofSeconds(1);

        public URI getUrl() {
            return url;
        }

        public void setUrl(URI url) {
            this.url = url;
        }

        public String getUsername() {
            return username;
        }

        public void setUsername(String username) {
            this.username = username;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        public Integer getDatabase() {
            return database;
        }

        public void setDatabase(Integer database) {
            this.database = database;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }
    }

    /** {@code wasm.gateway.shared-data.*} as far as replication goes (the store's limits are elsewhere). */
    public static class SharedData {

        private final Replication replication = new Replication();

        public Replication getReplication() {
            return replication;
        }
    }

    /** Shared-data keys replicated to every gateway through Redis. */
    public static class Replication {

        /** The Redis cluster ({@code wasm.gateway.redis.<name>}) that carries the replication. Default none: off. */
        private String redis;

        /**
         * The key prefixes that are replicated; other keys stay local. Required when {@code redis} is set. Default
         * none.
         */
        private List<String> prefixes = new ArrayList<>();

        /** The prefix of the Redis keys and channel used, so that several gateway fleets can share one Redis. */
        private String namespace = "wasm-gateway";

        /** How often each gateway reads Redis's whole state again, to repair anything a lost message missed. */
        private Duration resyncInterval = Duration.ofSeconds(30);

        public String getRedis() {
            return redis;
        }

        public void setRedis(String redis) {
            this.redis = redis;
        }

        public List<String> getPrefixes() {
            return prefixes;
        }

        public void setPrefixes(List<String> prefixes) {
            this.prefixes = prefixes;
        }

        public String getNamespace() {
            return namespace;
        }

        public void setNamespace(String namespace) {
            this.namespace = namespace;
        }

        public Duration getResyncInterval() {
            return resyncInterval;
        }

        public void setResyncInterval(Duration resyncInterval) {
            this.resyncInterval = resyncInterval;
        }
    }
}
