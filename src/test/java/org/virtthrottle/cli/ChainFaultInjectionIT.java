package org.virtthrottle.cli;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.virtthrottle.testing.ClassGuest;
import org.virtthrottle.testing.TestGuest;

/** Fault injection on disks whose I/O runs in QEMU's main loop: one QMP command adds a filter. */
class ChainFaultInjectionIT extends ChainFaultInjection {
    @RegisterExtension
    static final ClassGuest<TestGuest> GUEST = ClassGuest.startedBy(() -> TestGuest.start());

    ChainFaultInjectionIT() {
        super(GUEST);
    }

    @Override
    int stepsPerFilter() {
        return 1;
    }
}
