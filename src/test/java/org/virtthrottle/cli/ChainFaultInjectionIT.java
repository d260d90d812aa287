package org.virtthrottle.cli;

import org.virtthrottle.testing.TestGuest;

/** Fault injection on disks whose I/O runs in QEMU's main loop: one QMP command adds a filter. */
class ChainFaultInjectionIT extends ChainFaultInjection {
    @Override
    TestGuest startGuest() {
        return TestGuest.start();
    }

    @Override
    int stepsPerFilter() {
        return 1;
    }
}
