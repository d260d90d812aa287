package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.virtthrottle.testing.ClassGuest;
import org.virtthrottle.testing.LinuxGuest;
import org.virtthrottle.testing.TestHost;

/**
 * A real Linux guest whose disks run in IOThreads — a virtio disk with its own IOThread, and a
 * virtio-scsi controller in another — reading them all the time while their throttle chains are
 * built, changed and removed live (QEMU 7.2 and 10.0 crash when a throttle node is added straight
 * over such a node). The guest's own timings show each change act, and it keeps running.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealGuestIothreadIT {
    private static final double THROTTLED = 1.5;
    private static final double UNTHROTTLED = 1.0;
    /** Size of the virtio disk in the guest's IOThread 1; the guest tells disks apart by size. */
    private static final int VDB_MIB = 56;

    @RegisterExtension
    static final ClassGuest<LinuxGuest> GUEST = ClassGuest.startedBy(RealGuestIothreadIT::boot);

    private final LinuxGuest linux = GUEST.guest();
    private final String dom = linux.name();

    private static LinuxGuest boot() {
        String vdb = TestHost.createImage("iothread-vdb-" + System.nanoTime() + ".qcow2", "qcow2", VDB_MIB + "M")
                .toString();
        return LinuxGuest.boot(
                "<iothreads>2</iothreads>",
                "<controller type='scsi' index='0' model='virtio-scsi'><driver iothread='2'/></controller>"
                        + "<disk type='file' device='disk'><driver name='qemu' type='qcow2' iothread='1'/>"
                        + "<source file='" + vdb + "'/><target dev='vdb' bus='virtio'/></disk>");
    }

    @AfterEach
    void theGuestIsStillRunning() {
        assertThat(linux.guest()
                        .qmp("{\"execute\":\"query-status\"}")
                        .path("status")
                        .asText())
                .isEqualTo("running");
        assertThat(linux.guest().state().blockNodes()).as("no placeholder left").noneMatch(n -> n.startsWith("vtp-"));
    }

    private static void ok(CliRunner.Result r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }

    @Test
    void aVirtioDiskInItsOwnIothreadIsThrottledRechainedAndFreedLive() {
        ok(CliRunner.run(CliRunner.argv("throttlegroupset " + dom + " tight --total-iops-sec 20 --live")));
        ok(CliRunner.run(CliRunner.argv("throttlegroupset " + dom + " tenant --total-iops-sec 100000 --live")));
        assertThat(linux.readSeconds(VDB_MIB, linux.mark())).as("no throttling").isLessThan(UNTHROTTLED);

        long mark = linux.mark();
        ok(CliRunner.run("throttlefilterset", dom, "vdb", "tight", "--live"));
        assertThat(linux.readSeconds(VDB_MIB, mark))
                .as("behind tight (20 IOPS)")
                .isGreaterThan(THROTTLED);
        assertThat(linux.guest().chainUnder(linux.guest().aliasOf("vdb")))
                .containsExactly("throttle(throttle-tight)", "qcow2", "file");

        mark = linux.mark();
        ok(CliRunner.run("throttlefilterset", dom, "vdb", "tight,tenant", "--live"));
        assertThat(linux.readSeconds(VDB_MIB, mark))
                .as("a second filter above it")
                .isGreaterThan(THROTTLED);
        assertThat(linux.guest().chainUnder(linux.guest().aliasOf("vdb")))
                .containsExactly("throttle(throttle-tenant)", "throttle(throttle-tight)", "qcow2", "file");

        mark = linux.mark();
        ok(CliRunner.run("throttlefilterset", dom, "vdb", "tenant", "--live"));
        assertThat(linux.readSeconds(VDB_MIB, mark))
                .as("only the loose group left")
                .isLessThan(UNTHROTTLED);

        mark = linux.mark();
        ok(CliRunner.run(CliRunner.argv("throttlegroupset " + dom + " tenant --total-iops-sec 20 --live")));
        assertThat(linux.readSeconds(VDB_MIB, mark))
                .as("its limit lowered live")
                .isGreaterThan(THROTTLED);

        mark = linux.mark();
        ok(CliRunner.run("throttlefilterset", dom, "vdb", "", "--live"));
        assertThat(linux.readSeconds(VDB_MIB, mark)).as("chain removed").isLessThan(UNTHROTTLED);
        assertThat(linux.guest().chainUnder(linux.guest().aliasOf("vdb"))).containsExactly("qcow2", "file");
    }

    @Test
    void aDiskAttachedToAnIothreadControllerIsThrottledFromItsFirstReadAndDetaches() {
        String image = TestHost.createImage(dom + "-sdb.qcow2", "qcow2", "44M").toString();
        ok(CliRunner.run(CliRunner.argv("throttlegroupset " + dom + " capped --read-iops-sec 20 --live")));

        long mark = linux.mark();
        ok(CliRunner.run(CliRunner.argv("attach-disk " + dom + " " + image
                + " sdb --targetbus scsi --subdriver qcow2 --throttle-groups capped --live")));
        try {
            assertThat(linux.readSeconds(44, mark)).isGreaterThan(THROTTLED);
        } finally {
            ok(CliRunner.run("detach-disk", dom, "sdb", "--live"));
        }
        assertThat(linux.guest().state().blockNodes()).noneMatch(n -> n.startsWith("vtf-sdb"));
        ok(CliRunner.run("throttlegroupdel", dom, "capped", "--live"));
    }
}
