package org.virtthrottle.app;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * How entry points reach hypervisors: the one thing the composition root hands the command line.
 * Domain sessions are then opened with {@link DomainSessions} over a {@link Hypervisor}.
 */
public interface Hypervisors {
    Hypervisor open(String uri, boolean readOnly, Consumer<String> debug);

    /** Starts the event loop that lifecycle and device events need; before opening such a connection. */
    void enableEvents();

    /** Sends the hypervisor library's own warnings to {@code file}; before the first connection. */
    void logTo(Path file);

    /** Defines (once) and starts the sandbox's throwaway guest under {@code root}. */
    SandboxGuest startSandbox(Hypervisor hypervisor, Path root);

    /** The sandbox guest: its domain name, spare images for attach-disk, and how to stop it. */
    record SandboxGuest(String name, List<Path> spareImages, Runnable stop) {}
}
