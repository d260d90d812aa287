package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.virtthrottle.testing.ClassGuest;
import org.virtthrottle.testing.GuestState;
import org.virtthrottle.testing.TestGuest;
import org.virtthrottle.testing.TestGuest.Disk;
import org.virtthrottle.testing.TestHost;

/**
 * Disks that must not get throttle filters, on a running guest: a disk with {@code <iotune>} and a
 * cdrom. Each is refused with a clear error, the guest keeps running and nothing changes. (A lun is
 * refused in IothreadChainIT; disks in IOThreads are throttled there.)
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChainRefusalsIT {
    @RegisterExtension
    static final ClassGuest<TestGuest> GUEST = ClassGuest.startedBy(ChainRefusalsIT::startGuest);

    private final TestGuest guest = GUEST.guest();
    private final String dom = guest.name();

    private static TestGuest startGuest() {
        String cdrom = TestHost.createImage("cd-" + System.nanoTime() + ".raw", "raw", "1M")
                .toString();
        return TestGuest.start(
                "",
                "<disk type='file' device='cdrom'><driver name='qemu' type='raw'/><source file='" + cdrom
                        + "'/><target dev='hdc' bus='ide'/><readonly/></disk>",
                new Disk("vdb", "virtio", "qcow2", "", "<iotune><total_iops_sec>100</total_iops_sec></iotune>"));
    }

    @BeforeAll
    void createGroup() {
        assertThat(CliRunner.run(CliRunner.argv("throttlegroupset " + dom + " a --total-iops-sec 500 --live --config"))
                        .exitCode())
                .isZero();
    }

    private void assertRefused(List<String> args, String error) {
        GuestState before = guest.state();
        CliRunner.Result r = CliRunner.run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).as(r.toString()).startsWith("error: ").contains(error);
        assertThat(guest.state()).isEqualTo(before);
        assertThat(guest.qmp("{\"execute\":\"query-status\"}").path("status").asText())
                .isEqualTo("running");
    }

    @Test
    void aDiskWithIotuneIsRefused() {
        assertRefused(
                List.of("throttlefilterset", dom, "vdb", "a", "--live", "--config"),
                "block 'iotune' can't be used together with 'throttlefilters' for disk 'vdb'");
    }

    @Test
    void aCdromIsRefused() {
        assertRefused(
                List.of("throttlefilterset", dom, "hdc", "a", "--live"),
                "throttle filters cannot be used on cdrom hdc");
    }
}
