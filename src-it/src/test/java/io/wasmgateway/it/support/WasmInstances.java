package io.wasmgateway.it.support;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A module's VM instances as {@code /actuator/wasm} shows them: how many are broken, how many were replaced. */
public final class WasmInstances {

    private WasmInstances() {
    }

    public static long replaced(Gateway gateway, String module) {
        return number(gateway, module, "replaced");
    }

    public static long broken(Gateway gateway, String module) {
        return number(gateway, module, "broken");
    }

    /**
     * Waits (up to 10 s) until the module has replaced at least that many instances and, when asked, has no broken
     * one left; fails the test otherwise.
     */
    public static void awaitReplaced(Gateway gateway, String module, long count, boolean noneBroken) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (replaced(gateway, module) >= count && (!noneBroken || broken(gateway, module) == 0)) {
                return;
            }
            try {
                Thread.sleep(20);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        assertThat(replaced(gateway, module)).as("replaced instances of " + module).isGreaterThanOrEqualTo(count);
        if (noneBroken) {
            assertThat(broken(gateway, module)).as("broken instances of " + module).isZero();
        }
    }

    private static long number(Gateway gateway, String module, String field) {
        Map<?, ?> body = gateway.client().get().uri("/actuator/wasm").exchange()
            .expectStatus().isOk()
            .expectBody(Map.class).returnResult().getResponseBody();
        Map<?, ?> instances = (Map<?, ?>) ((Map<?, ?>) body.get("instances")).get(module);
        assertThat(instances).as("instances of " + module + " in /actuator/wasm").isNotNull();
        return ((Number) instances.get(field)).longValue();
    }
}
