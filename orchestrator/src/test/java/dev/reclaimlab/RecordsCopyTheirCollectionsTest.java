package dev.reclaimlab;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Records are values: a record that holds a list, map or set copies it, so whoever built it cannot change it later.
 * Every record of lab's own code with such a component is built here from collections the test then changes; the
 * record must not see the change.
 */
class RecordsCopyTheirCollectionsTest {

    @Test
    void everyRecordCopiesTheCollectionsItIsGiven() throws Exception {
        List<String> leaks = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        for (JavaClass javaClass : new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.reclaimlab")) {
            Class<?> type = javaClass.reflect();
            if (!type.isRecord() || collections(type).isEmpty()) {
                continue;
            }
            Object[] args = arguments(type);
            Object record = construct(type, args);
            RecordComponent[] components = type.getRecordComponents();
            for (int i = 0; i < components.length; i++) {
                if (args[i] instanceof Collection<?> || args[i] instanceof Map<?, ?>) {
                    java.lang.reflect.Method accessor = components[i].getAccessor();
                    accessor.setAccessible(true);
                    Object before = accessor.invoke(record);
                    int sizeBefore = before == null ? 0 : size(before);
                    grow(args[i]);
                    Object seen = accessor.invoke(record);
                    if (seen != null && size(seen) != sizeBefore) {
                        leaks.add(type.getName() + "." + components[i].getName());
                    }
                }
            }
            checked.add(type.getSimpleName());
        }
        assertEquals(List.of(), leaks, "records that keep the caller's collection instead of a copy");
        assertTrue(checked.size() > 30, "records checked: " + checked);
    }

    private static List<RecordComponent> collections(Class<?> type) {
        return java.util.Arrays.stream(type.getRecordComponents())
                .filter(c -> Collection.class.isAssignableFrom(c.getType()) || Map.class.isAssignableFrom(c.getType()))
                .toList();
    }

    /** Arguments for the canonical constructor: empty mutable collections, and plain values for everything else. */
    private static Object[] arguments(Class<?> type) throws Exception {
        RecordComponent[] components = type.getRecordComponents();
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            args[i] = value(components[i].getType(), 0);
        }
        return args;
    }

    private static Object value(Class<?> type, int depth) throws Exception {
        if (List.class.isAssignableFrom(type) || type == Collection.class) {
            return new ArrayList<>();
        }
        if (Set.class.isAssignableFrom(type)) {
            return new HashSet<>();
        }
        if (Map.class.isAssignableFrom(type)) {
            return new HashMap<>();
        }
        if (type == String.class) {
            return "x";
        }
        if (type == Optional.class) {
            return Optional.empty();
        }
        if (type == Path.class) {
            return Path.of("x");
        }
        if (type == Duration.class) {
            return Duration.ofSeconds(1);
        }
        if (type == boolean.class) {
            return false;
        }
        if (type == int.class) {
            return 1;
        }
        if (type == long.class) {
            return 1L;
        }
        if (type == double.class) {
            return 1.0;
        }
        if (type.isArray()) {
            return java.lang.reflect.Array.newInstance(type.getComponentType(), 2);
        }
        if (type.isEnum()) {
            return type.getEnumConstants()[0];
        }
        if (type.isRecord() && depth < 3) {
            RecordComponent[] components = type.getRecordComponents();
            Object[] args = new Object[components.length];
            for (int i = 0; i < components.length; i++) {
                args[i] = value(components[i].getType(), depth + 1);
            }
            return construct(type, args);
        }
        return null;
    }

    private static Object construct(Class<?> type, Object[] args) throws Exception {
        Class<?>[] parameters = java.util.Arrays.stream(type.getRecordComponents()).map(RecordComponent::getType)
                .toArray(Class<?>[]::new);
        Constructor<?> constructor = type.getDeclaredConstructor(parameters);
        constructor.setAccessible(true);
        try {
            return constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            throw new AssertionError("cannot build " + type.getName() + " for this test: " + e.getCause(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static void grow(Object collection) {
        if (collection instanceof Map<?, ?> map) {
            ((Map<Object, Object>) map).put(new Object(), new Object());
        } else {
            ((Collection<Object>) collection).add(new Object());
        }
    }

    private static int size(Object collection) {
        return collection instanceof Map<?, ?> map ? map.size() : ((Collection<?>) collection).size();
    }
}
