package io.wasmgateway.gateway.redis;

import io.wasmgateway.gateway.WasmStartupException;

/** A Redis cluster or the shared-data replication is configured wrongly: the gateway does not start. */
public class RedisConfigurationException extends WasmStartupException {

    private final String action;

    public RedisConfigurationException(String message, String action) {
        super(message, null);
        this.action = action;
    }

    @Override
    public String action() {
        return action;
    }
}
