package org.virtthrottle.cli;

import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.virtthrottle.testing.ClassGuest;
import org.virtthrottle.testing.TestGuest;
import org.virtthrottle.testing.TestGuest.Disk;

/**
 * Crash points on disks in an IOThread, whose filters go in the five-step way (placeholder, filter,
 * move, reopen, placeholder gone): virtio vda with its own IOThread, sdb attached on a virtio-scsi
 * controller in the same IOThread.
 */
class IothreadKillAtEveryStepIT extends KillAtEveryStep {
    @RegisterExtension
    static final ClassGuest<TestGuest> GUEST = ClassGuest.startedBy(() -> TestGuest.start(
            "<iothreads>1</iothreads>",
            "<controller type='scsi' index='0' model='virtio-scsi'><driver iothread='1'/></controller>",
            new Disk("vda", "virtio", "qcow2", "iothread='1'", "")));

    IothreadKillAtEveryStepIT() {
        super(GUEST);
    }

    @Override
    Stream<Crash> crashes() {
        return Stream.of(Crash.SIGKILL);
    }

    @Override
    String diskKind() {
        return "IOThread";
    }

    @Override
    boolean inSuite(String test) {
        // in the suite: the commands that build filters the IOThread way (five steps) and blockcommit; apply
        // (which builds them through the same steps), the group commands (QOM only) and detach-disk run
        // here with all crash points
        return java.util.Set.of("throttlefilterset", "attach-disk", "reconcile", "blockcommit")
                .contains(test);
    }
}
