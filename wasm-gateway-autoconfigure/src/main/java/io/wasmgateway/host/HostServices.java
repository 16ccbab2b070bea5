package io.wasmgateway.host;

import io.wasmgateway.host.shared.SharedData;
import io.wasmgateway.host.shared.SharedQueues;

import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What the proxy around the host provides to every module: outbound HTTP calls, the gateway-wide shared data
 * and queues, metrics, and a scheduler for timers. One instance is shared by all modules of a gateway.
 *
 * @param httpCalls starts proxy_http_call requests
 * @param sharedData the one shared-data store of the gateway
 * @param sharedQueues the one set of shared queues of the gateway
 * @param metrics where proxy_define_metric and friends land
 * @param scheduler runs timers (proxy_on_tick); its tasks only hand work to VM lanes
 * @param observer hears of every callback, trap, local response and request, for the proxy's metrics
 * @param grpcCalls starts proxy_grpc_call and proxy_grpc_stream calls
 * @param redisCalls starts proxy_redis_call commands (Higress's ABI extension)
 * @param foreignFunctions what proxy_call_foreign_function calls, by name
 */
public record HostServices(HttpCallDispatcher httpCalls, SharedData sharedData, SharedQueues sharedQueues,
        MetricSink metrics, ScheduledExecutorService scheduler, CallbackObserver observer,
        GrpcCallDispatcher grpcCalls, RedisCallDispatcher redisCalls, ForeignFunctions foreignFunctions) {

    /** Services without gRPC or Redis clusters, with the built-in foreign functions only. */
    public HostServices(HttpCallDispatcher httpCalls, SharedData sharedData, SharedQueues sharedQueues,
            MetricSink metrics, ScheduledExecutorService scheduler, CallbackObserver observer) {
        this(httpCalls, sharedData, sharedQueues, metrics, scheduler, observer, GrpcCallDispatcher.NONE,
                RedisCallDispatcher.NONE, ForeignFunctions.withBuiltIns(java.util.List.of()));
    }

    public HostServices {
        Objects.requireNonNull(httpCalls, "httpCalls");
        Objects.requireNonNull(sharedData, "sharedData");
        Objects.requireNonNull(sharedQueues, "sharedQueues");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(observer, "observer");
        Objects.requireNonNull(grpcCalls, "grpcCalls");
        Objects.requireNonNull(redisCalls, "redisCalls");
        Objects.requireNonNull(foreignFunctions, "foreignFunctions");
    }

    /** These services with another gRPC dispatcher. */
    public HostServices withGrpcCalls(GrpcCallDispatcher dispatcher) {
        return new HostServices(httpCalls, sharedData, sharedQueues, metrics, scheduler, observer, dispatcher,
                redisCalls, foreignFunctions);
    }

    /** These services with another Redis dispatcher. */
    public HostServices withRedisCalls(RedisCallDispatcher dispatcher) {
        return new HostServices(httpCalls, sharedData, sharedQueues, metrics, scheduler, observer, grpcCalls,
                dispatcher, foreignFunctions);
    }

    /** These services with other foreign functions. */
    public HostServices withForeignFunctions(ForeignFunctions functions) {
        return new HostServices(httpCalls, sharedData, sharedQueues, metrics, scheduler, observer, grpcCalls,
                redisCalls, functions);
    }

    /** Services for a host used without a proxy (tests, tools): no upstreams, in-memory metrics, one timer thread. */
    public static HostServices standalone() {
        return StandaloneServices.get();
    }
}
