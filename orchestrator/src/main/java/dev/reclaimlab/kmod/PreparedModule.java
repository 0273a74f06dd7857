package dev.reclaimlab.kmod;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A module made ready for one host: its rendered source and, when lab built it on the orchestrator (a {@code lab vm}
 * guest, cross-built against Debian's arm64 headers), the {@code .ko}. Without one, the host builds the source
 * itself against {@code /lib/modules/$(uname -r)/build}.
 */
public record PreparedModule(ModuleSource source, Optional<Path> builtKo) {
    public String name() {
        return source.name();
    }
}
