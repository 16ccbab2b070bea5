package io.wasmgateway.host.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.wasmgateway.host.HostServices;
import io.wasmgateway.host.AbiVersion;
import io.wasmgateway.host.Fixtures;
import io.wasmgateway.host.ModuleLimits;
import io.wasmgateway.host.abi.AbiContext;
import io.wasmgateway.host.abi.HostCall;
import io.wasmgateway.host.abi.HostFunctions;
import io.wasmgateway.host.abi.Status;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LinkingTest {

    @Test
    void aModuleImportingEverythingLinksAndItsCallsReachTheHost() {
        ModuleRuntime runtime = (ModuleRuntime) ModuleLoader.load(Fixtures.spec("imports_everything"),
                HostServices.standalone());
        try {
            VmInstance vm = runtime.instances().get(0);
            int status = vm.run(GuestCallbacks.ON_TICK, AbiContext.NONE,
                    () -> (int) vm.instance().export("call_unimplemented").apply()[0], null).join();
            assertThat(status).isEqualTo(Status.NOT_FOUND); // proxy_grpc_cancel(1): no such call
        } finally {
            runtime.close();
        }
    }

    @Test
    void theHostOffersEveryFunctionOfBothAbiVersions() {
        Map<String, HostCall> env = HostFunctions.forVm(new VmInstance(new ModuleIdentity("m", "here", "m",
                AbiVersion.V0_2_X, LoggerFactory.getLogger("wasm.m")), 0, HostServices.standalone(), ModuleLimits.DEFAULTS, new ColdCode(), broken -> {
                }));
        assertThat(env.keySet()).contains("proxy_log", "proxy_get_log_level", "proxy_get_current_time_nanoseconds",
                "proxy_set_tick_period_milliseconds", "proxy_get_configuration", "proxy_get_buffer_bytes",
                "proxy_set_buffer_bytes", "proxy_get_buffer_status", "proxy_get_header_map_pairs",
                "proxy_set_header_map_pairs", "proxy_get_header_map_value", "proxy_add_header_map_value",
                "proxy_replace_header_map_value", "proxy_remove_header_map_value", "proxy_get_header_map_size",
                "proxy_get_property", "proxy_set_property", "proxy_send_local_response", "proxy_continue_stream",
                "proxy_close_stream", "proxy_continue_request", "proxy_continue_response", "proxy_clear_route_cache",
                "proxy_http_call", "proxy_dispatch_http_call", "proxy_grpc_call", "proxy_grpc_stream",
                "proxy_grpc_send", "proxy_grpc_cancel", "proxy_grpc_close", "proxy_get_status",
                "proxy_set_shared_data", "proxy_get_shared_data", "proxy_register_shared_queue",
                "proxy_resolve_shared_queue", "proxy_enqueue_shared_queue", "proxy_dequeue_shared_queue",
                "proxy_define_metric", "proxy_increment_metric", "proxy_record_metric", "proxy_get_metric",
                "proxy_set_effective_context", "proxy_done", "proxy_call_foreign_function",
                "proxy_set_active_span_tag", "emscripten_notify_memory_growth");
    }
}
