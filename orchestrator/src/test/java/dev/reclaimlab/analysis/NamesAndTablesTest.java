package dev.reclaimlab.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The small tables of the hot path: name interning with its cap, and the pid table. */
class NamesAndTablesTest {

    @Test
    void namesAreInternedFromBytesAndCapped() {
        Names names = new Names(100);
        byte[] line = "xx kworker/u8:2 yy".getBytes(StandardCharsets.ISO_8859_1);
        int id = names.intern(line, 3, 15);

        assertEquals("kworker/u8:2", names.name(id));
        assertEquals(id, names.intern("kworker/u8:2"), "the same bytes from a String");
        for (int i = 0; i < 500; i++) {
            names.intern("task" + i);
        }
        assertEquals(101, names.size(), "100 names and (other)");
        assertEquals(Names.OTHER, names.name(names.intern("task499")));
        assertEquals(id, names.intern(line, 3, 15), "known names keep their id past the cap");
        assertEquals(names.intern("task5"), names.intern("task5"));
        Names small = new Names(4);
        assertEquals("", small.name(small.intern(line, 0, 0)), "an empty name is a name");
    }

    @Test
    void pidTableKeepsEveryKeyIncludingNegativeOnesThroughGrowth() {
        List<int[]> created = new ArrayList<>();
        PidTable<int[]> table = new PidTable<>(key -> {
            int[] value = {key};
            created.add(value);
            return value;
        });
        for (int key = -500; key < 5000; key += 3) {
            table.get(key);
        }
        for (int key = -500; key < 5000; key += 3) {
            assertEquals(key, table.get(key)[0]);
        }
        assertEquals(created.size(), table.values().size());
        assertSame(created.get(0), table.values().get(0), "values in first-seen order");
        assertEquals(-2, SpanPairing.key(0, 1), "the idle task is told apart by CPU");
        assertEquals(42, SpanPairing.key(42, 1));
    }

    @Test
    void pidTableForgetsRemovedKeysAndKeepsTheRest() {
        PidTable<int[]> table = new PidTable<>(key -> new int[] {key});
        java.util.Random random = new java.util.Random(3);
        java.util.Set<Integer> live = new java.util.LinkedHashSet<>();
        for (int step = 0; step < 200_000; step++) {
            int key = random.nextInt(3000) - 100;
            if (random.nextBoolean()) {
                table.get(key);
                live.add(key);
            } else {
                table.remove(key);
                live.remove(key);
            }
        }
        assertEquals(live.size(), table.size());
        for (int key = -100; key < 2900; key++) {
            int[] value = table.find(key);
            assertEquals(live.contains(key), value != null, "key " + key);
            if (value != null) {
                assertEquals(key, value[0]);
            }
        }
        assertEquals(live.size(), table.values().size());
        assertEquals(List.copyOf(live), table.values().stream().map(v -> v[0]).toList(),
                "the live values, in the order their keys were first seen since they were last removed");
    }
}
