package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.virtthrottle.testing.ClassGuest;
import org.virtthrottle.testing.LinuxGuest;
import org.virtthrottle.testing.TestHost;

/**
 * A real Linux guest reading its disks while virt-throttle changes their throttling live: the
 * guest's own timings show the limits act, and that live changes take effect on running I/O.
 * The guest reads 40 x 4 KiB with O_DIRECT per round: unthrottled that takes well under a second
 * even under TCG; at 20 IOPS it takes about 2 s.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealGuestThrottlingIT {
    private static final double THROTTLED = 1.5;
    private static final double UNTHROTTLED = 1.0;

    @RegisterExtension
    static final ClassGuest<LinuxGuest> GUEST = ClassGuest.startedBy(() -> LinuxGuest.boot());

    private final LinuxGuest linux = GUEST.guest();
    private final String dom = linux.name();

    private static void ok(CliRunner.Result r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }

    @Test
    void aGuestsReadsFollowItsDisksChainAsItIsChangedLive() {
        String image = TestHost.createImage(dom + "-sda.qcow2", "qcow2", "48M").toString();
        ok(CliRunner.run(CliRunner.argv("throttlegroupset " + dom + " slow --total-iops-sec 20 --live")));
        ok(CliRunner.run(CliRunner.argv("throttlegroupset " + dom + " tenant --total-iops-sec 1000 --live")));

        long mark = linux.mark();
        ok(CliRunner.run(
                CliRunner.argv("attach-disk " + dom + " " + image + " sda --targetbus scsi --subdriver qcow2 --live")));
        try {
            changeTheChainWhileTheGuestReads(mark);
        } finally {
            ok(CliRunner.run("detach-disk", dom, "sda", "--live"));
        }
        assertThat(linux.guest().state().blockNodes()).noneMatch(n -> n.startsWith("vtf-"));
    }

    private void changeTheChainWhileTheGuestReads(long firstMark) {
        long mark = firstMark;
        assertThat(linux.readSeconds(48, mark)).as("no throttling").isLessThan(UNTHROTTLED);

        mark = linux.mark();
        ok(CliRunner.run("throttlefilterset", dom, "sda", "slow,tenant", "--live"));
        assertThat(linux.readSeconds(48, mark))
                .as("behind slow (20 IOPS) and tenant")
                .isGreaterThan(THROTTLED);

        mark = linux.mark();
        ok(CliRunner.run(CliRunner.argv("throttlegroupset " + dom + " slow --total-iops-sec 100000 --live")));
        assertThat(linux.readSeconds(48, mark)).as("slow raised to 100000 IOPS").isLessThan(UNTHROTTLED);

        mark = linux.mark();
        ok(CliRunner.run(CliRunner.argv("throttlegroupset " + dom + " tenant --total-iops-sec 20 --live")));
        assertThat(linux.readSeconds(48, mark))
                .as("the shared tenant group now caps it")
                .isGreaterThan(THROTTLED);

        mark = linux.mark();
        ok(CliRunner.run("throttlefilterset", dom, "sda", "", "--live"));
        assertThat(linux.readSeconds(48, mark)).as("chain removed").isLessThan(UNTHROTTLED);
    }

    @Test
    void attachingBehindAGroupThrottlesFromTheFirstRead() {
        String image = TestHost.createImage(dom + "-sdb.qcow2", "qcow2", "40M").toString();
        ok(CliRunner.run(CliRunner.argv("throttlegroupset " + dom + " capped --read-iops-sec 20 --live")));

        long mark = linux.mark();
        ok(CliRunner.run(CliRunner.argv("attach-disk " + dom + " " + image
                + " sdb --targetbus scsi --subdriver qcow2 --throttle-groups capped --live")));
        try {
            assertThat(linux.readSeconds(40, mark)).isGreaterThan(THROTTLED);
        } finally {
            ok(CliRunner.run("detach-disk", dom, "sdb", "--live"));
        }
        ok(CliRunner.run("throttlegroupdel", dom, "capped", "--live"));
    }
}
