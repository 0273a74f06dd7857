package dev.reclaimlab.host;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The stderr of a remote command, minus the one line our wrapper prints first: {@code <token> <pid>}. The pid is what
 * lets a timed-out command be killed with its whole process tree; the token (random per command) makes sure no line
 * the command or a login script prints is mistaken for it. Lines before the marker (say, from a chatty .bashrc) pass
 * through unchanged; after it the stream is passed on as is.
 */
final class PidMarkerStream extends InputStream {

    private static final int MAX_SEARCH_LINE = 64 * 1024;

    private final InputStream in;
    private final byte[] prefix;
    private volatile long pid = -1;
    private boolean searching = true;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private byte[] pending = new byte[0];
    private int pendingPos;

    PidMarkerStream(InputStream in, String token) {
        this.in = in;
        this.prefix = (token + " ").getBytes(StandardCharsets.US_ASCII);
    }

    /** The wrapper shell's pid, or -1 if its marker has not been read (yet). */
    long pid() {
        return pid;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (pendingPos == pending.length) {
            if (!searching) {
                return in.read(b, off, len);
            }
            if (!search()) {
                return -1;
            }
        }
        int n = Math.min(len, pending.length - pendingPos);
        System.arraycopy(pending, pendingPos, b, off, n);
        pendingPos += n;
        return n;
    }

    /** Reads one chunk while looking for the marker; fills {@code pending}. False at EOF with nothing left. */
    private boolean search() throws IOException {
        byte[] chunk = new byte[8192];
        int n = in.read(chunk);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (n < 0) {
            searching = false;
            line.writeTo(out);
            line.reset();
            setPending(out.toByteArray());
            return pending.length > 0;
        }
        for (int i = 0; i < n; i++) {
            if (!searching) {
                out.write(chunk, i, n - i);
                break;
            }
            line.write(chunk[i]);
            if (chunk[i] == '\n') {
                byte[] complete = line.toByteArray();
                line.reset();
                if (!takeMarker(complete)) {
                    out.write(complete, 0, complete.length);
                }
            } else if (line.size() > MAX_SEARCH_LINE) {
                searching = false; // not a shell talking to us; give up rather than buffer without bound
                line.writeTo(out);
                line.reset();
            }
        }
        setPending(out.toByteArray());
        return true;
    }

    private boolean takeMarker(byte[] candidate) {
        if (candidate.length <= prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (candidate[i] != prefix[i]) {
                return false;
            }
        }
        String rest = new String(candidate, prefix.length, candidate.length - prefix.length, StandardCharsets.US_ASCII)
                .trim();
        try {
            pid = Long.parseLong(rest);
        } catch (NumberFormatException e) {
            return false;
        }
        searching = false;
        return true;
    }

    private void setPending(byte[] bytes) {
        pending = bytes;
        pendingPos = 0;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
