package dev.reclaimlab.artifacts;

/** The version of lab, from the jar manifest (a development build says so). */
public final class LabVersion {
    private LabVersion() {}

    public static String get() {
        String version = LabVersion.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
