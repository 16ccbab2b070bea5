package io.wasmgateway.host.abi;

/**
 * A cluster name as Higress filters pass it: the cluster, optionally followed by options,
 * {@code redis-main?db=2&buffer_flush_timeout=0}. Only {@code db} means something here; Envoy's buffering
 * options are ignored (Lettuce writes each command at once).
 *
 * @param cluster the name without options
 * @param database the {@code db} option, or -1 when absent
 */
public record RedisClusterName(String cluster, int database) {

    /** The parsed name, or null when {@code db} is not a number from 0 to 65535. */
    public static RedisClusterName parse(String name) {
        int question = name.indexOf('?');
        if (question < 0) {
            return new RedisClusterName(name, -1);
        }
        int database = -1;
        for (String option : name.substring(question + 1).split("&")) {
            if (option.startsWith("db=")) {
                String value = option.substring(3);
                if (value.isEmpty() || value.length() > 5 || !value.chars().allMatch(Character::isDigit)) {
                    return null;
                }
                database = Integer.parseInt(value);
                if (database > 65535) {
                    return null;
                }
            }
        }
        return new RedisClusterName(name.substring(0, question), database);
    }

    /** The key under which a root context's proxy_redis_init is remembered: the name with its database. */
    public String initKey() {
        return database < 0 ? cluster : cluster + "?db=" + database;
    }
}
