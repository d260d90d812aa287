package org.virtthrottle.cli;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.virtthrottle.testing.ClassGuest;
import org.virtthrottle.testing.TestGuest;

/**
 * Fault injection on a scsi controller that runs in an IOThread: every filter takes the five steps
 * of the IOThread way in (placeholder, filter over it, move, reopen, placeholder gone), and a
 * failure at any of them, or at any undo that puts a filter back, leaves the guest as it was.
 */
class IothreadChainFaultInjectionIT extends ChainFaultInjection {
    @RegisterExtension
    static final ClassGuest<TestGuest> GUEST = ClassGuest.startedBy(() -> TestGuest.start(
            "<iothreads>1</iothreads>",
            "<controller type='scsi' index='0' model='virtio-scsi'><driver iothread='1'/></controller>"));

    IothreadChainFaultInjectionIT() {
        super(GUEST);
    }

    @Override
    int stepsPerFilter() {
        return 5;
    }
}
