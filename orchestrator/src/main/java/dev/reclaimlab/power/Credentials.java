package dev.reclaimlab.power;

import java.util.Objects;

/** A BMC account. The password never appears in {@link #toString()}, so it cannot leak into a log or an error. */
public record Credentials(String user, String password) {
    public Credentials {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
        return "Credentials[user=" + user + ", password=***]";
    }
}
