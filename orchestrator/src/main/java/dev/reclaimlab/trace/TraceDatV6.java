package dev.reclaimlab.trace;

/**
 * The fixed words of trace-cmd's trace.dat, file version 6 (layout in docs and {@code trace-cmd.dat.v6(5)}), shared by
 * {@link TraceDatWriter} and {@link TraceDatFile} so both sides spell them the same.
 */
final class TraceDatV6 {
    /** {@code 17 08 44} then {@code tracing}: what every trace.dat starts with, of any version. */
    static final byte[] MAGIC = {0x17, 0x08, 0x44, 't', 'r', 'a', 'c', 'i', 'n', 'g'};
    /** The version as the file spells it: decimal text, NUL-terminated. */
    static final String VERSION = "6";
    static final int VERSION_NUMBER = 6;

    /** Section names, NUL included: trace-cmd compares the NUL too. */
    static final byte[] HEADER_PAGE = Bytes.ascii("header_page\0");
    static final byte[] HEADER_EVENT = Bytes.ascii("header_event\0");
    /** Two spaces pad {@code options} and {@code latency} to the length of {@code flyrecord}. */
    static final byte[] OPTIONS = Bytes.ascii("options  \0");
    static final byte[] LATENCY = Bytes.ascii("latency  \0");
    static final byte[] FLYRECORD = Bytes.ascii("flyrecord\0");

    /** The system whose formats have their own section before the others. */
    static final String FTRACE = "ftrace";

    /** Option ids (trace-cmd's {@code enum tracecmd_file_options}). DONE ends the list and has no size in v6. */
    static final int OPTION_DONE = 0;
    static final int OPTION_CPUSTAT = 2;
    static final int OPTION_BUFFER = 3;
    static final int OPTION_TRACECLOCK = 4;
    static final int OPTION_VERSION = 9;

    private TraceDatV6() {}
}
