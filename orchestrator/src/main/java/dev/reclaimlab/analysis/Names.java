package dev.reclaimlab.analysis;

import dev.reclaimlab.trace.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Interns short names (task names, shrinker functions, event names) straight from the line's bytes into small ints,
 * so the hot path counts into arrays instead of building a String per line. Capped: past {@code capacity} distinct
 * names (garbage input can invent any number) everything else shares the id of {@link #OTHER}.
 */
final class Names {
    static final String OTHER = "(other)";

    private final int capacity;
    private final List<String> names = new ArrayList<>();
    private byte[][] bytes = new byte[16][];
    private int[] slots = new int[64]; // id + 1, 0 = empty
    private int[] hashes = new int[64];
    private int otherId = -1;

    Names(int capacity) {
        this.capacity = capacity;
    }

    int size() {
        return names.size();
    }

    /** The id of {@link #OTHER}, or -1 while every name had room. */
    int otherId() {
        return otherId;
    }

    /** A name has been refused for want of room. */
    boolean overflowed() {
        return otherId >= 0;
    }

    String name(int id) {
        return names.get(id);
    }

    int intern(String name) {
        byte[] b = name.getBytes(StandardCharsets.ISO_8859_1);
        return intern(b, 0, b.length);
    }

    int intern(byte[] b, int start, int end) {
        return intern(b, start, end, hash(b, start, end));
    }

    /** The hash {@link #intern} uses (the parser hands it over for event names). */
    static int hash(byte[] b, int start, int end) {
        return Bytes.hash(b, start, end);
    }

    /** {@link #intern(byte[], int, int)} with the hash already computed. */
    int intern(byte[] b, int start, int end, int hash) {
        int mask = slots.length - 1;
        for (int i = hash & mask; ; i = (i + 1) & mask) {
            int slot = slots[i];
            if (slot == 0) {
                break;
            }
            if (hashes[i] == hash && Bytes.same(bytes[slot - 1], b, start, end)) {
                return slot - 1;
            }
        }
        if (names.size() >= capacity) {
            return other();
        }
        return add(Arrays.copyOfRange(b, start, end), hash);
    }

    /** The id of {@link #OTHER}, made on first use. */
    int other() {
        if (otherId < 0) {
            byte[] b = OTHER.getBytes(StandardCharsets.ISO_8859_1);
            otherId = add(b, hash(b, 0, b.length));
        }
        return otherId;
    }

    private int add(byte[] name, int hash) {
        int id = names.size();
        names.add(new String(name, StandardCharsets.ISO_8859_1));
        if (id == bytes.length) {
            bytes = Arrays.copyOf(bytes, id * 2);
        }
        bytes[id] = name;
        if ((id + 1) * 2 > slots.length) {
            rehash(slots.length * 2);
        }
        place(id, hash);
        return id;
    }

    private void place(int id, int hash) {
        int mask = slots.length - 1;
        int i = hash & mask;
        while (slots[i] != 0) {
            i = (i + 1) & mask;
        }
        slots[i] = id + 1;
        hashes[i] = hash;
    }

    private void rehash(int size) {
        int[] oldSlots = slots;
        int[] oldHashes = hashes;
        slots = new int[size];
        hashes = new int[size];
        for (int i = 0; i < oldSlots.length; i++) {
            if (oldSlots[i] != 0) {
                place(oldSlots[i] - 1, oldHashes[i]);
            }
        }
    }
}
