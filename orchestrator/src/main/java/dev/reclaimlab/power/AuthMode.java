package dev.reclaimlab.power;

/** How requests prove who they are. */
public enum AuthMode {
    /** HTTP Basic on every request: stateless, so a crashed {@code lab} leaves nothing open on the BMC. */
    BASIC,
    /**
     * A Redfish session: one login, then {@code X-Auth-Token}; the session is deleted at the end. For BMCs that
     * disable Basic, or rate-limit password checks.
     */
    SESSION
}
