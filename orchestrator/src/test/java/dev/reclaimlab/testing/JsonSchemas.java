package dev.reclaimlab.testing;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The JSON Schemas lab publishes ({@code src/main/resources/schema}), for tests: validating what lab writes, and
 * holding each schema and the records that write the file to exactly the same fields.
 */
public final class JsonSchemas {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonSchemas() {}

    /** The schema as lab ships it, from the class path: {@code metrics}, {@code manifest}, ... */
    public static JsonSchema load(String name) {
        try (InputStream in = JsonSchemas.class.getResourceAsStream("/schema/" + name + ".schema.json")) {
            if (in == null) {
                throw new AssertionError(name + ".schema.json is not on the class path");
            }
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The schema's source file, for the checks below. */
    public static Path file(String name) {
        return Path.of("src/main/resources/schema/" + name + ".schema.json");
    }

    /** What the schema says is wrong with {@code document}; empty when it validates. */
    public static Set<ValidationMessage> validate(String name, JsonNode document) {
        return load(name).validate(document);
    }

    /**
     * Walks the record and the schema side by side: the same property names (snake_case), records within records,
     * maps, lists, and enums with the same words. Empty when they agree.
     */
    public static List<String> differences(String name, Class<? extends Record> record) throws IOException {
        JsonNode schema = JSON.readTree(file(name).toFile());
        List<String> problems = new ArrayList<>();
        compare(schema, schema, record, "", problems);
        return problems;
    }

    /** As {@link #differences}, for the part of the schema at {@code pointer} (e.g. {@code /properties/profile}). */
    public static List<String> differencesAt(String name, String pointer, Class<? extends Record> record)
            throws IOException {
        JsonNode schema = JSON.readTree(file(name).toFile());
        List<String> problems = new ArrayList<>();
        compare(schema, schema.at(pointer), record, pointer, problems);
        return problems;
    }

    private static void compare(JsonNode root, JsonNode node, Type type, String path, List<String> problems) {
        node = deref(root, node);
        if (type instanceof Class<?> c && c.isRecord()) {
            Set<String> fields = new TreeSet<>();
            PropertyNamingStrategies.NamingBase snake =
                    (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;
            JsonNode properties = node.path("properties");
            for (RecordComponent component : c.getRecordComponents()) {
                String field = snake.translate(component.getName());
                fields.add(field);
                if (!properties.has(field)) {
                    problems.add(path + "/" + field + " is not in the schema");
                } else {
                    compare(root, properties.get(field), component.getGenericType(), path + "/" + field, problems);
                }
            }
            Set<String> documented = new TreeSet<>();
            properties.fieldNames().forEachRemaining(documented::add);
            documented.removeAll(fields);
            documented.forEach(extra -> problems.add(path + "/" + extra + " is in the schema but not written"));
            if (!node.path("additionalProperties").isBoolean() || node.get("additionalProperties").asBoolean()) {
                problems.add(path + " should refuse unknown properties");
            }
        } else if (type instanceof Class<?> c && c.isEnum()) {
            Set<String> words = new TreeSet<>();
            for (Object constant : c.getEnumConstants()) {
                words.add(word((Enum<?>) constant));
            }
            Set<String> listed = new TreeSet<>();
            node.path("enum").forEach(w -> listed.add(w.asText()));
            if (!words.equals(listed)) {
                problems.add(path + " lists " + listed + " but the enum has " + words);
            }
        } else if (type instanceof ParameterizedType p && p.getRawType() == Map.class) {
            compare(root, node.path("additionalProperties"), p.getActualTypeArguments()[1], path + "/*", problems);
        } else if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
            compare(root, node.path("items"), p.getActualTypeArguments()[0], path + "[]", problems);
        }
    }

    /** The word an enum constant is written as: its {@code @JsonValue} method, else its name. */
    private static String word(Enum<?> constant) {
        for (Method method : constant.getDeclaringClass().getMethods()) {
            if (method.isAnnotationPresent(JsonValue.class)) {
                try {
                    return String.valueOf(method.invoke(constant));
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return constant.name();
    }

    private static JsonNode deref(JsonNode root, JsonNode node) {
        JsonNode ref = node.get("$ref");
        return ref == null ? node : deref(root, root.at(ref.asText().substring(1)));
    }

    /** Properties of the schema that have no description (here or where they refer to); empty when all have one. */
    public static List<String> undescribed(String name) throws IOException {
        List<String> missing = new ArrayList<>();
        JsonNode schema = JSON.readTree(file(name).toFile());
        describeCheck(schema, schema, "", missing);
        return missing;
    }

    private static void describeCheck(JsonNode root, JsonNode node, String path, List<String> missing) {
        if (node.isObject()) {
            JsonNode properties = node.get("properties");
            if (properties != null) {
                for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (!hasDescription(root, e.getValue())) {
                        missing.add(path + "/" + e.getKey());
                    }
                }
            }
            node.fields().forEachRemaining(e -> describeCheck(root, e.getValue(), path + "/" + e.getKey(), missing));
        } else if (node.isArray()) {
            node.forEach(item -> describeCheck(root, item, path + "[]", missing));
        }
    }

    private static boolean hasDescription(JsonNode root, JsonNode property) {
        if (property.hasNonNull("description")) {
            return true;
        }
        JsonNode ref = property.get("$ref");
        return ref != null && hasDescription(root, root.at(ref.asText().substring(1)));
    }

    /** What the JSON Schema 2020-12 meta-schema says about the schema file; empty when it is a valid schema. */
    public static Set<ValidationMessage> metaProblems(String name) throws IOException {
        JsonSchema meta = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        if (meta.validate(JSON.readTree("{\"type\": 5}")).isEmpty()) {
            throw new AssertionError("the meta-schema checks nothing");
        }
        return meta.validate(JSON.readTree(file(name).toFile()));
    }
}
