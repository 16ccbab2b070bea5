package io.wasmgateway.host;

import java.util.List;

/**
 * A filter's Redis command, as the host parsed it from the guest's RESP array.
 *
 * @param cluster the configured cluster's name, without options
 * @param database the database from the cluster name's {@code ?db=N}, or -1 for the cluster's own
 * @param username from proxy_redis_init; empty for the cluster's configured one
 * @param password from proxy_redis_init; empty for the cluster's configured one
 * @param timeoutMillis from proxy_redis_init; 0 for the cluster's configured timeout
 * @param arguments the command name and its arguments, as the RESP array's bulk strings (not empty)
 */
public record RedisCallRequest(String cluster, int database, String username, String password, long timeoutMillis,
        List<byte[]> arguments) {
}
