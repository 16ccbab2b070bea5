package io.wasmgateway.host.abi;

import static io.wasmgateway.host.abi.HostCall.arg;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Higress's Redis calls: proxy_redis_init (credentials and timeout for a cluster, per root context) and
 * proxy_redis_call (a RESP array to that cluster). A call is only recorded here and returns its callout id at
 * once; the VM starts it when the running callback returns, and the reply comes back through
 * proxy_on_redis_call_response on the caller's root context, with the raw RESP reply in buffer 9. Signatures
 * as higress-group/proxy-wasm-cpp-host ({@code src/exports.cc}).
 */
final class RedisCallFunctions {

    private RedisCallFunctions() {
    }

    static List<HostCall> functions(AbiVm vm) {
        return List.of(redisInit(vm), redisCall(vm));
    }

    // (cluster_ptr, cluster_size, username_ptr, username_size, password_ptr, password_size, timeout_ms)
    private static HostCall redisInit(AbiVm vm) {
        return HostCall.status("proxy_redis_init", 7, vm.logger(), args -> {
            GuestMemory memory = vm.memory();
            RedisClusterName name = clusterName(vm, memory.readString(arg(args, 0), arg(args, 1),
                    StandardCharsets.UTF_8));
            String username = memory.readString(arg(args, 2), arg(args, 3), StandardCharsets.UTF_8);
            String password = memory.readString(arg(args, 4), arg(args, 5), StandardCharsets.UTF_8);
            if (name == null) {
                return Status.BAD_ARGUMENT;
            }
            return vm.redisInit(name, username, password, Integer.toUnsignedLong(arg(args, 6)));
        });
    }

    // (cluster_ptr, cluster_size, query_ptr, query_size, return_callout_id_ptr)
    private static HostCall redisCall(AbiVm vm) {
        return HostCall.status("proxy_redis_call", 5, vm.logger(), args -> {
            GuestMemory memory = vm.memory();
            int tokenSlot = arg(args, 4);
            if (!memory.contains(tokenSlot, 4)) {
                return Status.INVALID_MEMORY_ACCESS;
            }
            String cluster = memory.readString(arg(args, 0), arg(args, 1), StandardCharsets.UTF_8);
            if (Integer.compareUnsigned(arg(args, 3), Limits.MAX_REDIS_QUERY_BYTES) > 0) {
                vm.logger().warn("proxy_redis_call: a query of {} bytes is beyond the limit of {}",
                        Integer.toUnsignedString(arg(args, 3)), Limits.MAX_REDIS_QUERY_BYTES);
                return Status.BAD_ARGUMENT;
            }
            List<byte[]> arguments = RespQuery.parse(memory.read(arg(args, 2), arg(args, 3)));
            RedisClusterName name = clusterName(vm, cluster);
            if (name == null) {
                return Status.BAD_ARGUMENT;
            }
            if (arguments == null) {
                vm.logger().warn("proxy_redis_call to '{}': the query is not one RESP array of bulk strings",
                        cluster);
                return Status.BAD_ARGUMENT;
            }
            int token = vm.redisCall(name, arguments);
            if (token == 0) {
                return Status.BAD_ARGUMENT; // logged by the VM
            }
            memory.writeU32(tokenSlot, token);
            return Status.OK;
        });
    }

    /** The parsed name of a configured cluster, or null (logged) when it is malformed or unknown. */
    private static RedisClusterName clusterName(AbiVm vm, String cluster) {
        RedisClusterName name = RedisClusterName.parse(cluster);
        if (name == null) {
            vm.logger().warn("Redis cluster name '{}': the db option is not a database number", cluster);
            return null;
        }
        if (!vm.services().redisCalls().hasCluster(name.cluster())) {
            vm.logger().warn("unknown Redis cluster '{}': configure it as wasm.gateway.redis.{}", name.cluster(),
                    name.cluster());
            return null;
        }
        return name;
    }
}
