package org.virtthrottle.cli;

import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.virtthrottle.testing.ClassGuest;
import org.virtthrottle.testing.TestGuest;
import org.virtthrottle.testing.TestGuest.Disk;

/** Crash points on disks in QEMU's main loop: virtio vda, and sdb attached on a virtio-scsi controller. */
class KillAtEveryStepIT extends KillAtEveryStep {
    @RegisterExtension
    static final ClassGuest<TestGuest> GUEST =
            ClassGuest.startedBy(() -> TestGuest.start(new Disk("vda", "virtio", "qcow2")));

    KillAtEveryStepIT() {
        super(GUEST);
    }

    @Override
    Stream<Crash> crashes() {
        return Stream.of(Crash.values());
    }

    @Override
    String diskKind() {
        return "plain";
    }

    @Override
    boolean inSuite(String test) {
        return java.util.Set.of(
                        "throttlegroupset",
                        "throttlegroupdel",
                        "throttlefilterset",
                        "attach-disk",
                        "detach-disk",
                        "reconcile",
                        "apply",
                        "attach-disk with libvirtd restarted",
                        "blockcommit",
                        "blockresize",
                        "watch")
                .contains(test);
    }
}
