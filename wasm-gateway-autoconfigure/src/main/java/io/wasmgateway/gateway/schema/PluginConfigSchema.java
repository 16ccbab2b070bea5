package io.wasmgateway.gateway.schema;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import io.wasmgateway.gateway.WasmModuleLoadException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;

import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/**
 * The JSON Schema a module's plugin configurations must match ({@code wasm.gateway.modules.<name>.config-schema}),
 * checked before a configuration reaches any VM: when a route's plugin is created and when the module is
 * reloaded (with the schema read again). Validation is networknt's json-schema-validator; the dialect is the
 * schema's {@code $schema}, else draft 2020-12. A configuration that is not JSON, or does not match, is refused
 * with the JSON pointer of each bad value.
 */
public final class PluginConfigSchema {

    /** For modules without a schema: every configuration passes. */
    public static final PluginConfigSchema NONE = new PluginConfigSchema(null, null);

    private static final int MAX_ERRORS_SHOWN = 10;

    private static final SchemaRegistryConfig CONFIG = SchemaRegistryConfig.builder()
        .pathType(PathType.JSON_POINTER)
        .locale(Locale.ENGLISH)
        .build();

    private final String location;

    private final Schema schema;

    private PluginConfigSchema(String location, Schema schema) {
        this.location = location;
        this.schema = schema;
    }

    /**
     * Reads and compiles the schema at a Spring resource location (JSON, or YAML when it ends in .yaml or .yml).
     *
     * @throws WasmModuleLoadException naming the module and the schema when it cannot be read or is no valid
     *     JSON Schema
     */
    public static PluginConfigSchema load(String module, String moduleLocation, String location,
            ResourceLoader resourceLoader) {
        if (location == null || location.isBlank()) {
            return NONE;
        }
        String text = read(module, moduleLocation, location, resourceLoader);
        InputFormat format = location.toLowerCase(Locale.ROOT).matches(".*\\.ya?ml") ? InputFormat.YAML
                : InputFormat.JSON;
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                builder -> builder.schemaRegistryConfig(CONFIG));
        try {
            Schema schema = registry.getSchema(SchemaLocation.of(location), text, format);
            List<Error> problems = metaSchemaProblems(registry, schema.getSchemaNode());
            if (!problems.isEmpty()) {
                throw invalidSchema(module, moduleLocation, location, describe(problems));
            }
            schema.initializeValidators(); // resolves $refs now rather than on the first configuration
            return new PluginConfigSchema(location, schema);
        }
        catch (SchemaException | JacksonException | IllegalArgumentException ex) {
            throw invalidSchema(module, moduleLocation, location, ex.getMessage());
        }
    }

    /** Whether a schema is configured. */
    public boolean present() {
        return schema != null;
    }

    /** The schema's location, or null for {@link #NONE}. */
    public String location() {
        return location;
    }

    /**
     * Checks one route's plugin configuration; an empty configuration is checked as JSON {@code null}.
     *
     * @throws PluginConfigurationException naming the route, the module and the JSON pointer of each bad value
     */
    public void check(String routeId, String module, String moduleLocation, String configuration) {
        if (schema == null) {
            return;
        }
        JsonNode value;
        try {
            value = configuration == null || configuration.isBlank() ? NullNode.getInstance()
                    : JsonMapper.shared().readTree(configuration);
        }
        catch (JacksonException ex) {
            throw new PluginConfigurationException(routeId, module, moduleLocation, location, "",
                    "the configuration is not JSON (" + ex.getOriginalMessage() + ")");
        }
        List<Error> errors = schema.validate(value);
        if (!errors.isEmpty()) {
            throw new PluginConfigurationException(routeId, module, moduleLocation, location,
                    pointer(errors.get(0)), describe(errors));
        }
    }

    private static List<Error> metaSchemaProblems(SchemaRegistry registry, JsonNode schemaNode) {
        String dialect = schemaNode.path("$schema").asString(SpecificationVersion.DRAFT_2020_12.getDialectId());
        return registry.getSchema(SchemaLocation.of(dialect)).validate(schemaNode);
    }

    /** "/rules/0/name: must be a string; /timeout: ..." (the first few). */
    private static String describe(List<Error> errors) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < errors.size() && i < MAX_ERRORS_SHOWN; i++) {
            Error error = errors.get(i);
            String pointer = pointer(error);
            String message = error.getMessage();
            if (message.startsWith(pointer + ": ")) { // the library starts its messages with the pointer
                message = message.substring(pointer.length() + 2);
            }
            text.append(i > 0 ? "; " : "").append(pointer.isEmpty() ? "(the whole configuration)" : pointer)
                .append(": ")
                .append(message);
        }
        if (errors.size() > MAX_ERRORS_SHOWN) {
            text.append("; and ").append(errors.size() - MAX_ERRORS_SHOWN).append(" more");
        }
        return text.toString();
    }

    private static String pointer(Error error) {
        return error.getInstanceLocation() == null ? "" : error.getInstanceLocation().toString();
    }

    private static String read(String module, String moduleLocation, String location, ResourceLoader loader) {
        Resource resource = loader.getResource(location);
        if (!resource.exists()) {
            throw invalidSchema(module, moduleLocation, location, "the file does not exist");
        }
        try (InputStream in = resource.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw invalidSchema(module, moduleLocation, location, "the file cannot be read: " + ex.getMessage());
        }
    }

    private static WasmModuleLoadException invalidSchema(String module, String moduleLocation, String location,
            String why) {
        return new WasmModuleLoadException(module, moduleLocation, "its config-schema " + location
                + " is not a usable JSON Schema: " + why, null) {

            @Override
            public String action() {
                return "Fix the schema at " + location + " (wasm.gateway.modules." + module
                        + ".config-schema), or remove the property.";
            }
        };
    }
}
