package io.wasmgateway.gateway.filter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.filter.FilterDefinition;
import org.springframework.cloud.gateway.route.RouteDefinition;

import static org.assertj.core.api.Assertions.assertThat;

class ProxyWasmFilterDefinitionsTest {

    @Test
    void theShortcutsFirstArgumentIsTheModuleAndTheRestTheConfiguration() {
        FilterDefinition filter = new FilterDefinition("ProxyWasm=headers, {\"a\": 1,\"b\": [2, 3]}");

        ProxyWasmFilterDefinitions.normalize(List.of(filter));

        assertThat(filter.getArgs()).containsExactly(Map.entry("module", "headers"),
                Map.entry("config", "{\"a\": 1, \"b\": [2, 3]}"));
    }

    @Test
    void aShortcutWithTheModuleOnlyHasNoConfiguration() {
        FilterDefinition filter = new FilterDefinition("ProxyWasm=headers");

        ProxyWasmFilterDefinitions.normalize(List.of(filter));

        assertThat(filter.getArgs()).containsExactly(Map.entry("module", "headers"));
    }

    @Test
    void aYamlMapConfigurationBecomesJson() {
        Map<String, String> args = new LinkedHashMap<>();
        args.put("module", "m");
        args.put("config.name", "x, y");
        args.put("config.count", "10");
        args.put("config.ratio", "-1.5e3");
        args.put("config.on", "true");
        args.put("config.code", "007");
        args.put("config.list.0", "a");
        args.put("config.list.1.k", "v");
        args.put("config.nested.deep.key", "z");
        args.put("root-id", "r");

        Map<String, String> normalized = ProxyWasmFilterDefinitions.normalizeArgs(args);

        assertThat(normalized).containsExactly(Map.entry("module", "m"), Map.entry("root-id", "r"), Map.entry("config",
                "{\"name\":\"x, y\",\"count\":10,\"ratio\":-1.5e3,\"on\":true,\"code\":\"007\","
                        + "\"list\":[\"a\",{\"k\":\"v\"}],\"nested\":{\"deep\":{\"key\":\"z\"}}}"));
    }

    @Test
    void mapKeysThatAreNotAllIndexesStayAMap() {
        assertThat(ProxyWasmFilterDefinitions.unflatten(Map.of("m.0", "a", "m.2", "b")))
            .isEqualTo(Map.of("m", Map.of("0", "a", "2", "b")));
    }

    @Test
    void aStringConfigurationAndOtherFiltersStayAsTheyAre() {
        FilterDefinition full = new FilterDefinition();
        full.setName("ProxyWasm");
        full.setArgs(new LinkedHashMap<>(Map.of("module", "m", "config", "text, with commas")));
        FilterDefinition other = new FilterDefinition("AddRequestHeader=x-a, 1, 2");

        ProxyWasmFilterDefinitions.normalize(List.of(full, other));

        assertThat(full.getArgs()).isEqualTo(Map.of("module", "m", "config", "text, with commas"));
        assertThat(other.getArgs()).containsOnlyKeys("_genkey_0", "_genkey_1", "_genkey_2");
    }

    @Test
    void rewritesTheRoutesAndDefaultFiltersOfTheGatewayPropertiesOnce() {
        GatewayProperties properties = new GatewayProperties();
        RouteDefinition route = new RouteDefinition("r=http://localhost,Path=/x");
        route.setFilters(List.of(new FilterDefinition("ProxyWasm=m, a, b")));
        properties.setRoutes(List.of(route));
        properties.setDefaultFilters(List.of(new FilterDefinition("ProxyWasm=d, c")));
        ProxyWasmFilterDefinitions postProcessor = new ProxyWasmFilterDefinitions();

        postProcessor.postProcessAfterInitialization(properties, "gatewayProperties");
        postProcessor.postProcessAfterInitialization(properties, "gatewayProperties");

        assertThat(route.getFilters().get(0).getArgs()).containsExactly(Map.entry("module", "m"),
                Map.entry("config", "a, b"));
        assertThat(properties.getDefaultFilters().get(0).getArgs()).containsExactly(Map.entry("module", "d"),
                Map.entry("config", "c"));
    }
}
