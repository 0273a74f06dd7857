package dev.reclaimlab.host;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.schmizz.sshj.SSHClient;

/**
 * Whether an SSH server can start a command on a connection where another command runs.
 *
 * <p>dropbear before 2024.86 (Debian 12 ships 2022.83, in every lab vm guest) closes a session channel that has no
 * command yet whenever another command of the same connection exits (fixed by its commit "Don't close channels when
 * a PID hasn't started"). If the exec request is already on its way, dropbear still starts the command on the closed
 * channel, and its first output trips an assertion that ends the whole connection. No client-side ordering closes
 * that window, so such servers get one command per connection at a time: a child of another connection's server
 * process exiting does not touch this one.
 */
final class DropbearVersion {
    private static final Pattern DROPBEAR = Pattern.compile("dropbear_(\\d{4})\\.(\\d+)");
    /** The first release with the fix. */
    private static final int FIXED_YEAR = 2024;
    private static final int FIXED_RELEASE = 86;

    private DropbearVersion() {
    }

    static boolean sharesConnectionsSafely(SSHClient client) {
        return sharesConnectionsSafely(client.getTransport().getServerVersion());
    }

    /** {@code serverVersion} as the server announced it, e.g. {@code SSH-2.0-dropbear_2022.83}. */
    static boolean sharesConnectionsSafely(String serverVersion) {
        Matcher m = DROPBEAR.matcher(serverVersion == null ? "" : serverVersion);
        if (!m.find()) {
            return true;
        }
        int year = Integer.parseInt(m.group(1));
        int release = Integer.parseInt(m.group(2));
        return year > FIXED_YEAR || (year == FIXED_YEAR && release >= FIXED_RELEASE);
    }
}
