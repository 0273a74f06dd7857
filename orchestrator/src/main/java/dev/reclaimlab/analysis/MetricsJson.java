package dev.reclaimlab.analysis;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.io.Writer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;

/**
 * Writes {@link TraceMetrics} as JSON with Jackson's streaming generator: the same text as
 * {@code Json.mapper()} writes into metrics.json (snake_case, indented, nulls left out; a test holds the two equal),
 * without starting Jackson's object mapper, whose start-up costs more than a second of CPU on a small test host —
 * as much as parsing a few hundred megabytes of trace. {@code lab analyze --json} uses it; {@code lab run} keeps
 * writing through the mapper.
 */
public final class MetricsJson {
    private static final PropertyNamingStrategies.NamingBase SNAKE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    private MetricsJson() {}

    public static void write(TraceMetrics metrics, Writer out) throws IOException {
        try (JsonGenerator json = new JsonFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET).createGenerator(out)) {
            json.setPrettyPrinter(new DefaultPrettyPrinter());
            value(json, metrics);
        }
    }

    private static void value(JsonGenerator json, Object value) throws IOException {
        if (value instanceof Record record) {
            json.writeStartObject();
            for (RecordComponent component : record.getClass().getRecordComponents()) {
                Object field = get(component, record);
                if (field != null) {
                    json.writeFieldName(SNAKE.translate(component.getName()));
                    value(json, field);
                }
            }
            json.writeEndObject();
        } else if (value instanceof Map<?, ?> map) {
            json.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (e.getValue() != null) {
                    json.writeFieldName(String.valueOf(e.getKey()));
                    value(json, e.getValue());
                }
            }
            json.writeEndObject();
        } else if (value instanceof List<?> list) {
            json.writeStartArray();
            for (Object item : list) {
                value(json, item);
            }
            json.writeEndArray();
        } else if (value instanceof long[] numbers) {
            json.writeStartArray();
            for (long n : numbers) {
                json.writeNumber(n);
            }
            json.writeEndArray();
        } else if (value instanceof String text) {
            json.writeString(text);
        } else if (value instanceof Double d) {
            json.writeNumber(d);
        } else if (value instanceof Long n) {
            json.writeNumber(n);
        } else if (value instanceof Integer n) {
            json.writeNumber(n);
        } else if (value instanceof Boolean b) {
            json.writeBoolean(b);
        } else {
            throw new IllegalArgumentException("no JSON form for " + value.getClass());
        }
    }

    private static Object get(RecordComponent component, Record record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + component, e);
        }
    }
}
