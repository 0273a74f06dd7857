package dev.reclaimlab.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

/**
 * int key → value, open addressing, no boxing: one lookup per begin/end event on the hot path. Entries can be removed
 * (the whole trace's table holds only tasks with a span open), so its size follows what is open, not what was seen.
 */
final class PidTable<T> {
    private static final int EMPTY = Integer.MIN_VALUE;

    private final IntFunction<T> create;
    private int[] keys = filled(64);
    private Object[] values = new Object[64];
    /** Per slot, the index of its value in {@link #inOrder}. */
    private int[] order = new int[64];
    /** Values in the order their keys were first seen; removed ones are null until {@link #compact}. */
    private final List<T> inOrder = new ArrayList<>();
    private int size;

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

    /** The value of {@code key}, or null. */
    @SuppressWarnings("unchecked")
    T find(int key) {
        int mask = keys.length - 1;
        for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return (T) values[i];
            }
            if (keys[i] == EMPTY) {
                return null;
            }
        }
    }

    /** The cold path of {@link #get}, apart so that it is not compiled into every caller. */
    private T insert(int key, int slot) {
        T value = create.apply(key);
        keys[slot] = key;
        values[slot] = value;
        order[slot] = inOrder.size();
        inOrder.add(value);
        size++;
        if (size * 2 > keys.length) {
            rehash();
        }
        return value;
    }

    /** Forgets {@code key}; later entries of its probe run move back into the gap, so lookups need no tombstones. */
    void remove(int key) {
        int mask = keys.length - 1;
        int i = mix(key) & mask;
        while (keys[i] != key) {
            if (keys[i] == EMPTY) {
                return;
            }
            i = (i + 1) & mask;
        }
        inOrder.set(order[i], null);
        size--;
        int hole = i;
        for (int j = (i + 1) & mask; keys[j] != EMPTY; j = (j + 1) & mask) {
            int home = mix(keys[j]) & mask;
            if (((j - home) & mask) >= ((j - hole) & mask)) { // the hole lies on j's probe run: move j into it
                keys[hole] = keys[j];
                values[hole] = values[j];
                order[hole] = order[j];
                hole = j;
            }
        }
        keys[hole] = EMPTY;
        values[hole] = null;
        // compacting costs a pass over the slots, so it waits for as many holes as there are slots: O(1) a removal
        if (inOrder.size() - size >= keys.length) {
            compact();
        }
    }

    int size() {
        return size;
    }

    /** Every value, in the order the keys were first seen (deterministic, unlike hash order). */
    List<T> values() {
        if (inOrder.size() > size) {
            compact();
        }
        return inOrder;
    }

    /** Drops the removed values from {@link #inOrder} and points the slots at the new places. */
    private void compact() {
        int[] moved = new int[inOrder.size()];
        int next = 0;
        for (int k = 0; k < inOrder.size(); k++) {
            T value = inOrder.get(k);
            if (value != null) {
                moved[k] = next;
                inOrder.set(next++, value);
            }
        }
        inOrder.subList(next, inOrder.size()).clear();
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != EMPTY) {
                order[i] = moved[order[i]];
            }
        }
    }

    private void rehash() {
        int[] oldKeys = keys;
        Object[] oldValues = values;
        int[] oldOrder = order;
        keys = filled(oldKeys.length * 2);
        values = new Object[oldKeys.length * 2];
        order = new int[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != EMPTY) {
                int i = mix(oldKeys[j]) & mask;
                while (keys[i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                values[i] = oldValues[j];
                order[i] = oldOrder[j];
            }
        }
    }

    private static int mix(int key) {
        int h = key * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    private static int[] filled(int n) {
        int[] a = new int[n];
        Arrays.fill(a, EMPTY);
        return a;
    }
}
