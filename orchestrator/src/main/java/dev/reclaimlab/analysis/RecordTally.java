package dev.reclaimlab.analysis;

import dev.reclaimlab.trace.Bytes;
import dev.reclaimlab.trace.Cmdlines;
import dev.reclaimlab.trace.FieldLayout;
import dev.reclaimlab.trace.Kallsyms;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The analysis of a binary capture's records, taken in time order across CPUs: reads each value from its field
 * ({@link RecordFields}) and hands it to the same {@link EventTally} the text path uses. Task names come from the
 * capture's saved_cmdlines and shrinker names from its kallsyms, as {@code trace_pipe} would have printed them.
 */
final class RecordTally extends ChunkPart {
    /**
     * Slots of the caches of shrinker names by address and comm ids by pid: direct-mapped, a newcomer replaces the
     * slot's entry (what they cache is a pure function of the key), so garbage with any number of keys stays bounded
     * and the hot path allocates nothing.
     */
    private static final int CACHE_SLOTS = 4096;
    private static final int COMMON_BYTES = 8;

    private final RecordFields fields;
    private Kallsyms kallsyms = Kallsyms.none();
    private Cmdlines cmdlines = Cmdlines.none();
    private final long[] shrinkerAddresses = new long[CACHE_SLOTS];
    private final byte[][] shrinkerNames = new byte[CACHE_SLOTS][];
    private final int[] commPids = new int[CACHE_SLOTS];
    /** Per slot, the comm id of {@link #commPids}' pid plus one: 0 marks an empty slot. */
    private final int[] commIdsPlusOne = new int[CACHE_SLOTS];
    /** Per id, its name's id in {@link Stats#events}; -1 not yet interned. */
    private final int[] eventIds;

    long unknownEventIds;
    long shortRecords;

    private int pid;
    private int cpu;
    private long ts;

    private RecordTally(RecordFields fields, Tables tables) {
        super(tables);
        this.fields = fields;
        this.eventIds = new int[fields.ids()];
        Arrays.fill(eventIds, -1);
    }

    /** A slice tallied ahead on a worker thread, into tables of its own. */
    static RecordTally ahead(RecordFields fields, Limits limits) {
        return new RecordTally(fields, Tables.ahead(limits));
    }

    /** A slice tallied in place: {@code stats}, {@code carry}, {@code clocks}, {@code losses} are the whole trace's. */
    static RecordTally inPlace(RecordFields fields, Stats stats, SpanCarry carry, CpuClocks clocks, LossLog losses) {
        return new RecordTally(fields, Tables.inPlace(stats, carry, clocks, losses));
    }

    RecordTally names(Kallsyms symbols, Cmdlines tasks) {
        this.kallsyms = symbols;
        this.cmdlines = tasks;
        return this;
    }

    /** A lost-events record of {@code cpu}'s page at {@code ts}: {@code count} events or -1 (unknown). */
    void lost(int cpu, long count, long ts) {
        sawLoss = true;
        counts.lines++;
        int verdict = tally.lost(cpu, count, ts);
        if (verdict != LineCheck.OK) {
            counts.skip(verdict, LineCheck.shown(verdict) + "CPU " + cpu + " lost " + count + " events at " + ts);
        }
    }

    /** The record of {@code length} bytes at {@code b[offset]}, on {@code cpu} at {@code ts}. */
    void record(int cpu, long ts, ByteBuffer b, int offset, int length) {
        counts.lines++;
        if (length < COMMON_BYTES) {
            shortRecords++;
            skip(LineCheck.MISSING, cpu, ts, "record of " + length + " bytes");
            return;
        }
        int id = b.getShort(offset) & 0xffff;
        RecordFields.Event event = fields.event(id);
        if (event == null) {
            unknownEventIds++;
            skip(LineCheck.MISSING, cpu, ts, "record of type " + id + ", which no format file describes");
            return;
        }
        long pidValue = event.pid == null ? FieldLayout.NO_VALUE : event.pid.integer(b, offset, length);
        if (pidValue < 0 || pidValue > Integer.MAX_VALUE) {
            shortRecords++;
            skip(LineCheck.MISSING, cpu, ts, event.name + " without a pid");
            return;
        }
        this.pid = (int) pidValue;
        this.cpu = cpu;
        this.ts = ts;
        int verdict = tally.admit(cpu, ts);
        if (verdict == LineCheck.OK) {
            verdict = handle(event, id, b, offset, length);
        }
        if (verdict == LineCheck.OK) {
            tally.accepted(ts);
        } else {
            skip(verdict, cpu, ts, event.name + " of pid " + pid);
        }
    }

    private int handle(RecordFields.Event e, int id, ByteBuffer b, int offset, int length) {
        switch (e.known) {
            case Stats.MEMCG_BEGIN -> {
                return tally.reclaimBegin(Stats.MEMCG);
            }
            case Stats.DIRECT_BEGIN -> {
                return tally.reclaimBegin(Stats.DIRECT);
            }
            case Stats.MEMCG_END, Stats.DIRECT_END -> {
                return tally.reclaimEnd(e.known == Stats.MEMCG_END ? Stats.MEMCG : Stats.DIRECT,
                        value(e.first, b, offset, length));
            }
            case Stats.SLAB_START -> {
                if (e.flagsOrShrink == null || e.flagsOrShrink.offset() + e.flagsOrShrink.size() > length) {
                    return LineCheck.MISSING;
                }
                return tally.slabStart(shrinker(e.flagsOrShrink.integer(b, offset, length)).length);
            }
            case Stats.SLAB_END -> {
                if (e.flagsOrShrink == null || e.flagsOrShrink.offset() + e.flagsOrShrink.size() > length) {
                    return LineCheck.MISSING;
                }
                byte[] name = shrinker(e.flagsOrShrink.integer(b, offset, length));
                return tally.slabEnd(name, 0, name.length, value(e.second, b, offset, length));
            }
            case Stats.LRU_SHRINK_INACTIVE -> {
                long flags = value(e.flagsOrShrink, b, offset, length);
                if (flags == Bytes.NO_NUMBER) {
                    return LineCheck.MISSING;
                }
                int type = (flags & e.anonBit) != 0 ? LruTally.ANON
                        : (flags & e.fileBit) != 0 ? LruTally.FILE : LruTally.OTHER;
                return tally.lruShrinkInactive(type, value(e.first, b, offset, length),
                        value(e.second, b, offset, length), value(e.priority, b, offset, length));
            }
            default -> {
                int eventId = eventIds[id];
                if (eventId < 0) {
                    eventId = stats.events.intern(e.name);
                    eventIds[id] = eventId;
                }
                return tally.other(eventId);
            }
        }
    }

    /** A field's integer; {@link Bytes#NO_NUMBER} (as for a text line without it) when absent or outside the record. */
    private static long value(FieldLayout field, ByteBuffer b, int offset, int length) {
        return field == null ? Bytes.NO_NUMBER : field.integer(b, offset, length);
    }

    /** The function a {@code %pS} pointer names, as {@code trace_pipe} printed it before the {@code +0x...}. */
    private byte[] shrinker(long address) {
        int slot = (int) (address ^ address >>> 12 ^ address >>> 24) & (CACHE_SLOTS - 1);
        byte[] name = shrinkerNames[slot];
        if (name == null || shrinkerAddresses[slot] != address) {
            name = kallsyms.name(address);
            shrinkerAddresses[slot] = address;
            shrinkerNames[slot] = name;
        }
        return name;
    }

    private void skip(int verdict, int cpu, long ts, String what) {
        counts.skip(verdict, LineCheck.shown(verdict) + "CPU " + cpu + " at " + ts + ": " + what);
    }

    @Override
    public int pid() {
        return pid;
    }

    @Override
    public int cpu() {
        return cpu;
    }

    @Override
    public long ts() {
        return ts;
    }

    @Override
    public int comm() {
        int slot = (pid ^ pid >>> 12) & (CACHE_SLOTS - 1);
        if (commIdsPlusOne[slot] != 0 && commPids[slot] == pid) {
            return commIdsPlusOne[slot] - 1;
        }
        byte[] name = cmdlines.comm(pid).getBytes(StandardCharsets.ISO_8859_1);
        int id = stats.comms.intern(name, 0, name.length);
        commPids[slot] = pid;
        commIdsPlusOne[slot] = id + 1;
        return id;
    }
}
