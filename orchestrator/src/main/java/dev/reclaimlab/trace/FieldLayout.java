package dev.reclaimlab.trace;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where one field of a binary event record lies and how to read it, from a {@code field:} line of a format file
 * ({@code field:unsigned long nr_reclaimed;\toffset:8;\tsize:8;\tsigned:0;}) or of {@code header_page}. Offsets count
 * from the start of the record ({@code common_type}). Records come from untrusted traces: every read is checked against
 * the record's length and gives {@link #NO_VALUE} or an empty string rather than reading past it.
 *
 * @param name     the field's name ({@code nr_reclaimed}, {@code comm})
 * @param type     the declared type without the name ({@code unsigned long}, {@code char}, {@code __data_loc char[]})
 * @param offset   bytes from the start of the record
 * @param size     bytes it takes in the record (a {@code __data_loc} field: the 4-byte locator, not the data)
 * @param signed   whether to sign-extend (older kernels do not say: then false)
 * @param elements for {@code name[N]}: N; 0 for {@code name[]} (the rest of the record); -1 when not an array
 * @param location how a {@code __data_loc}/{@code __rel_loc} field finds its data, or {@link Location#INLINE}
 */
public record FieldLayout(String name, String type, int offset, int size, boolean signed, int elements,
                          Location location) {
    /** What {@link #integer} gives for a field that does not fit in the record or has no integer size. */
    public static final long NO_VALUE = Long.MIN_VALUE;

    /** Where the field's bytes are. */
    public enum Location {
        /** In place, at {@code offset}. */
        INLINE,
        /** {@code __data_loc}: a u32 at {@code offset}, low 16 bits the data's offset from the record start, high 16 its length. */
        DATA_LOC,
        /** {@code __rel_loc} (Linux 5.17+): the same, but the offset counts from the end of this field. */
        REL_LOC
    }

    private static final Pattern NUMBER = Pattern.compile("\\b(offset|size|signed):\\s*(-?\\d{1,10})\\s*;");

    /**
     * The field a {@code field:} line declares; null when the line is not one or its numbers cannot be (negative, or
     * so large that offset + size overflows).
     */
    public static FieldLayout parse(String line) {
        String l = line.strip();
        if (!l.startsWith("field:")) {
            return null;
        }
        int semi = l.indexOf(';');
        if (semi < 0) {
            return null;
        }
        String declaration = l.substring(6, semi).strip();
        int offset = -1;
        int size = -1;
        boolean signed = false;
        Matcher m = NUMBER.matcher(l);
        m.region(semi, l.length());
        while (m.find()) {
            long v = Long.parseLong(m.group(2));
            switch (m.group(1)) {
                case "offset" -> offset = v < 0 || v > Integer.MAX_VALUE ? -1 : (int) v;
                case "size" -> size = v < 0 || v > Integer.MAX_VALUE ? -1 : (int) v;
                default -> signed = v != 0;
            }
        }
        String name = EventFormat.fieldName(declaration);
        if (name.isEmpty() || offset < 0 || size < 0 || (long) offset + size > Integer.MAX_VALUE) {
            return null;
        }
        Location location = declaration.startsWith("__data_loc") ? Location.DATA_LOC
                : declaration.startsWith("__rel_loc") ? Location.REL_LOC : Location.INLINE;
        int elements = -1;
        int open = declaration.lastIndexOf('[');
        if (location == Location.INLINE && open >= 0 && declaration.endsWith("]")) {
            String n = declaration.substring(open + 1, declaration.length() - 1).strip();
            elements = n.isEmpty() ? 0 : n.chars().allMatch(Character::isDigit) && n.length() < 10 ? Integer.parseInt(n) : 0;
        }
        int nameAt = declaration.lastIndexOf(name);
        String type = (nameAt > 0 ? declaration.substring(0, nameAt) : declaration).strip();
        return new FieldLayout(name, type, offset, size, signed, elements, location);
    }

    /** A {@code char}/{@code u8} array or a dynamic string: its value is text, not a number. */
    public boolean isText() {
        return location != Location.INLINE || elements >= 0 && (type.endsWith("char") || type.equals("u8")
                || type.equals("s8"));
    }

    /**
     * The integer at this field of the record that starts at {@code record} and is {@code length} bytes long, read in
     * the buffer's byte order and sign-extended when {@link #signed}; {@link #NO_VALUE} when the field does not lie
     * inside the record or is not 1, 2, 4 or 8 bytes.
     */
    public long integer(ByteBuffer b, int record, int length) {
        if (offset + size > length) {
            return NO_VALUE;
        }
        int at = record + offset;
        return switch (size) {
            case 1 -> signed ? b.get(at) : b.get(at) & 0xffL;
            case 2 -> signed ? b.getShort(at) : b.getShort(at) & 0xffffL;
            case 4 -> signed ? b.getInt(at) : b.getInt(at) & 0xffff_ffffL;
            case 8 -> b.getLong(at);
            default -> NO_VALUE;
        };
    }

    /**
     * The text of a {@code char} array or {@code __data_loc char[]} field, up to its first NUL; empty when it does not
     * lie inside the record. A locator that points outside the record is clamped the way libtraceevent does (offset
     * past the end: nothing; data past the end: nothing), since the record is untrusted.
     */
    public String text(ByteBuffer b, int record, int length) {
        int from;
        int len;
        if (location == Location.INLINE) {
            from = offset;
            len = elements == 0 && size == 0 ? length - offset : size;
        } else {
            if (offset + size > length) {
                return "";
            }
            long v = size == 2 ? b.getShort(record + offset) & 0xffffL : b.getInt(record + offset) & 0xffff_ffffL;
            from = (int) (v & 0xffff) + (location == Location.REL_LOC ? offset + size : 0);
            len = size == 2 ? length - from : (int) (v >>> 16);
        }
        if (from < 0 || len < 0 || from > length || (long) from + len > length) {
            return "";
        }
        int end = record + from;
        while (end < record + from + len && b.get(end) != 0) {
            end++;
        }
        byte[] out = new byte[end - record - from];
        b.get(record + from, out);
        return new String(out, StandardCharsets.ISO_8859_1);
    }
}
