package dev.reclaimlab.power;

import java.io.IOException;

/**
 * The BMC answered 401 or 403. Nothing else is tried after it: retrying with other reset types would only lock the
 * account, and the reboot ladder must report it rather than fall through to "host lost".
 */
public final class CredentialsRefusedException extends IOException {
    CredentialsRefusedException(String message) {
        super(message);
    }
}
