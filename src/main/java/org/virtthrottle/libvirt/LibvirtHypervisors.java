package org.virtthrottle.libvirt;

import java.nio.file.Path;
import java.util.function.Consumer;
import org.virtthrottle.app.Hypervisor;
import org.virtthrottle.app.Hypervisors;

/** libvirt behind {@link Hypervisors}: what the composition root hands every entry point. */
public final class LibvirtHypervisors implements Hypervisors {
    static {
        LibvirtLibrary.locate();
    }

    @Override
    public Hypervisor open(String uri, boolean readOnly, Consumer<String> debug) {
        return LibvirtConnection.open(uri, readOnly, debug);
    }

    @Override
    public void enableEvents() {
        EventLoop.ensureRunning();
    }

    @Override
    public void logTo(Path file) {
        LibvirtLog.toFile(file);
    }

    @Override
    public SandboxGuest startSandbox(Hypervisor hypervisor, Path root) {
        return SandboxDomain.start((LibvirtConnection) hypervisor, root);
    }
}
