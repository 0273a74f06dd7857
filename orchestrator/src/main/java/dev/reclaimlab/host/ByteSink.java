package dev.reclaimlab.host;

import java.io.IOException;

/** Where a pump puts the bytes it reads from one of a command's output streams. */
interface ByteSink {

    void write(byte[] bytes, int offset, int length) throws IOException;

    /** The stream ended (EOF); flush anything held back, such as a last line without newline. */
    default void end() throws IOException {}
}
