package dev.reclaimlab.power;

/** The Redfish {@code ResetType} values this package sends (the BMC may list others, e.g. {@code Nmi}). */
public enum ResetType {
    GRACEFUL_RESTART("GracefulRestart"),
    FORCE_RESTART("ForceRestart"),
    POWER_CYCLE("PowerCycle"),
    FORCE_OFF("ForceOff"),
    ON("On");

    private final String redfishName;

    ResetType(String redfishName) {
        this.redfishName = redfishName;
    }

    /** As it is spelled on the wire and in the BMC's AllowableValues. */
    public String redfishName() {
        return redfishName;
    }

    @Override
    public String toString() {
        return redfishName;
    }
}
