package io.wasmgateway.gateway.filter;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.util.RawValue;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.filter.FilterDefinition;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.cloud.gateway.support.NameUtils;

/**
 * Rewrites the {@code ProxyWasm} filter definitions of {@code spring.cloud.gateway.server.webflux.routes} and
 * {@code default-filters} into plain {@code module}, {@code config}, {@code root-id} arguments, because Spring
 * Cloud Gateway's binding loses what users mean by them:
 * <ul>
 * <li>the shortcut {@code ProxyWasm=m, a, b} is split at every comma; the configuration is everything after
 * the first one, so the pieces are joined again with ", " (the gateway has already trimmed them; use the
 * full form's {@code config} for text whose spacing around commas matters);</li>
 * <li>a YAML map under {@code config} arrives flattened ({@code config.rules.0=a}); it is rebuilt and written
 * as JSON. Property values are strings by then: those that read as JSON numbers, {@code true} or
 * {@code false} are written as such, a map whose keys are 0..n-1 as an array.</li>
 * </ul>
 * Rewriting the definitions once, after binding (and again after a rebind), keeps the filter's
 * configuration class a plain bean.
 */
public class ProxyWasmFilterDefinitions implements BeanPostProcessor {

    private static final String CONFIG = "config";

    private static final String CONFIG_PREFIX = CONFIG + ".";

    private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][-+]?[0-9]+)?");

    private static final Pattern INDEX = Pattern.compile("0|[1-9][0-9]*");

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof GatewayProperties properties) {
            normalize(properties.getDefaultFilters());
            for (RouteDefinition route : properties.getRoutes()) {
                normalize(route.getFilters());
            }
        }
        return bean;
    }

    static void normalize(List<FilterDefinition> filters) {
        for (FilterDefinition filter : filters) {
            if (ProxyWasmGatewayFilterFactory.NAME.equals(filter.getName())) {
                filter.setArgs(normalizeArgs(filter.getArgs()));
            }
        }
    }

    static Map<String, String> normalizeArgs(Map<String, String> args) {
        Map<String, String> named = new LinkedHashMap<>();
        List<String> shortcut = new ArrayList<>();
        Map<String, String> flattenedConfig = new LinkedHashMap<>();
        args.forEach((key, value) -> {
            if (key.startsWith(NameUtils.GENERATED_NAME_PREFIX)) {
                shortcut.add(value);
            }
            else if (key.startsWith(CONFIG_PREFIX)) {
                flattenedConfig.put(key.substring(CONFIG_PREFIX.length()), value);
            }
            else {
                named.put(key, value);
            }
        });
        if (!shortcut.isEmpty()) {
            named.putIfAbsent("module", shortcut.get(0));
            if (shortcut.size() > 1) {
                named.putIfAbsent(CONFIG, String.join(", ", shortcut.subList(1, shortcut.size())));
            }
        }
        if (!flattenedConfig.isEmpty()) {
            named.put(CONFIG, JsonMapper.shared().writeValueAsString(unflatten(flattenedConfig)));
        }
        return named;
    }

    /** {@code {a.b=1, a.c.0=x}} to {@code {a: {b: 1, c: [x]}}}. */
    static Object unflatten(Map<String, String> flattened) {
        Map<String, Object> root = new LinkedHashMap<>();
        flattened.forEach((path, value) -> {
            Map<String, Object> node = root;
            String[] segments = path.split("\\.");
            for (int i = 0; i < segments.length - 1; i++) {
                @SuppressWarnings("unchecked")
                Map<String, Object> child = (Map<String, Object>) node.computeIfAbsent(segments[i],
                        k -> new LinkedHashMap<String, Object>());
                node = child;
            }
            node.put(segments[segments.length - 1], scalar(value));
        });
        return arraysWhereIndexed(root);
    }

    private static Object arraysWhereIndexed(Object node) {
        if (!(node instanceof Map<?, ?> map)) {
            return node;
        }
        Map<String, Object> converted = new LinkedHashMap<>();
        map.forEach((key, value) -> converted.put((String) key, arraysWhereIndexed(value)));
        if (isIndexed(converted)) {
            List<Object> list = new ArrayList<>(converted.size());
            for (int i = 0; i < converted.size(); i++) {
                list.add(converted.get(Integer.toString(i)));
            }
            return list;
        }
        return converted;
    }

    private static boolean isIndexed(Map<String, Object> map) {
        Iterator<String> keys = map.keySet().iterator();
        for (int i = 0; keys.hasNext(); i++) {
            String key = keys.next();
            if (!INDEX.matcher(key).matches() || !map.containsKey(Integer.toString(i))) {
                return false;
            }
        }
        return !map.isEmpty();
    }

    private static Object scalar(String value) {
        if (value == null) {
            return null;
        }
        if (value.equals("true") || value.equals("false")) {
            return Boolean.valueOf(value);
        }
        if (JSON_NUMBER.matcher(value).matches()) {
            return new RawValue(value); // the number exactly as written
        }
        return value;
    }
}
