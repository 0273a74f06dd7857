package dev.reclaimlab.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/** int key → value, open addressing, no boxing: one lookup per begin/end event on the hot path. */
final class PidTable<T> {
    private static final int EMPTY = Integer.MIN_VALUE;

    private final IntFunction<T> create;
    private int[] keys = filled(64);
    private Object[] values = new Object[64];
    private final List<T> inOrder = new ArrayList<>();

    PidTable(IntFunction<T> create) {
        this.create = create;
    }

    /** The value of {@code key}, created on first use. */
    @SuppressWarnings("unchecked")
    T get(int key) {
        int mask = keys.length - 1;
        for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return (T) values[i];
            }
            if (keys[i] == EMPTY) {
                return insert(key, i);
            }
        }
    }

    /** The cold path of {@link #get}, apart so that it is not compiled into every caller. */
    private T insert(int key, int slot) {
        T value = create.apply(key);
        keys[slot] = key;
        values[slot] = value;
        inOrder.add(value);
        if (inOrder.size() * 2 > keys.length) {
            rehash();
        }
        return value;
    }

    /** Every value, in the order the keys were first seen (deterministic, unlike hash order). */
    List<T> values() {
        return inOrder;
    }

    private void rehash() {
        int[] oldKeys = keys;
        Object[] oldValues = values;
        keys = filled(oldKeys.length * 2);
        values = new Object[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != EMPTY) {
                int i = mix(oldKeys[j]) & mask;
                while (keys[i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                values[i] = oldValues[j];
            }
        }
    }

    private static int mix(int key) {
        int h = key * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    private static int[] filled(int n) {
        int[] a = new int[n];
        java.util.Arrays.fill(a, EMPTY);
        return a;
    }
}
