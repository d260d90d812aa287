package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.virtthrottle.testing.LinuxGuest;
import org.virtthrottle.testing.TestGuest;
import org.virtthrottle.testing.TestHost;
import org.virtthrottle.testing.WatchProcess;

/**
 * detach-disk when the guest does not let go of the device right away: libvirt's detach returns
 * after its timeout with the disk still there. The disk stays behind its filters, the command says
 * the detach is pending, and when the guest does let go later, nothing is left behind in QEMU —
 * neither our filters nor libvirt's nodes, which libvirt cannot delete while a filter reads them.
 */
@Tag("integration")
class DetachPendingIT {
    private static void ok(CliRunner.Result r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }

    @Test
    void aDiskTheGuestHoldsOnToStaysThrottledAndItsDetachIsPending() {
        // a guest without an OS never lets go of a virtio disk
        try (TestGuest guest = TestGuest.start()) {
            String dom = guest.name();
            String image =
                    TestHost.createImage(dom + "-vdb.qcow2", "qcow2", "16M").toString();
            ok(CliRunner.run(CliRunner.argv("throttlegroupset " + dom + " g --total-iops-sec 50 --live --config")));
            ok(CliRunner.run(CliRunner.argv("attach-disk " + dom + " " + image
                    + " vdb --targetbus virtio --subdriver qcow2 --throttle-groups g --live --config")));

            CliRunner.Result r = CliRunner.run("detach-disk", dom, "vdb", "--live", "--config");

            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            assertThat(r.err())
                    .isEqualTo("error: detach of disk vdb is pending: the guest has not released the device yet;"
                            + " it stays attached, behind its throttle filters, until the guest lets go of it (then watch, or the next"
                            + " reconcile, deletes what is left)\n");
            assertThat(guest.liveXml()).contains("<target dev='vdb'");
            assertThat(guest.inactiveXml()).as("the config side is done").doesNotContain("<target dev='vdb'");
            assertThat(guest.chainUnder(guest.aliasOf("vdb"))).containsExactly("throttle(throttle-g)", "qcow2", "file");
            assertThat(CliRunner.run("throttlefilterlist", dom).out()).containsPattern(" vdb +g ");
            ok(CliRunner.run("reconcile", dom));
            assertThat(guest.chainUnder(guest.aliasOf("vdb")))
                    .as("reconcile keeps it throttled")
                    .containsExactly("throttle(throttle-g)", "qcow2", "file");
            assertThat(guest.qmp("{\"execute\":\"query-status\"}")
                            .path("status")
                            .asText())
                    .isEqualTo("running");
        }
    }

    @Test
    void aFailedAttachWhoseUndoIsPendingSaysSo() {
        try (TestGuest guest = TestGuest.start()) {
            String dom = guest.name();
            String image =
                    TestHost.createImage(dom + "-vdc.qcow2", "qcow2", "16M").toString();
            ok(CliRunner.run(CliRunner.argv("throttlegroupset " + dom + " g --total-iops-sec 50 --live --config")));
            int[] steps = {0};
            // the last step (the config's record) fails: everything is undone, the live detach included
            CliRunner.Result r = CliRunner.runWithExecutor(
                    executor -> action -> {
                        if (++steps[0] == 6) {
                            throw new org.virtthrottle.VirtThrottleException("injected failure of step 6");
                        }
                        executor.execute(action);
                    },
                    "attach-disk",
                    dom,
                    image,
                    "vdc",
                    "--targetbus",
                    "virtio",
                    "--subdriver",
                    "qcow2",
                    "--throttle-groups",
                    "g",
                    "--live",
                    "--config");

            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            assertThat(r.err())
                    .contains("injected failure of step 6")
                    .contains("the undo's detach of disk vdc is pending: the guest has not released the device yet");
            assertThat(guest.inactiveXml()).doesNotContain("<target dev='vdc'");
            assertThat(guest.state().blockNodes())
                    .as("its filter is gone before the detach")
                    .noneMatch(n -> n.startsWith("vtf-"));
        }
    }

    @Test
    void aRealGuestLetsGoOfItsDisksAndNothingOfThemIsLeft() throws Exception {
        try (LinuxGuest linux = LinuxGuest.boot()) {
            TestGuest guest = linux.guest();
            String dom = guest.name();
            ok(CliRunner.run(CliRunner.argv("throttlegroupset " + dom + " g --total-iops-sec 500 --live")));
            List<String> before = guest.state().blockNodes();

            // released at once: a scsi disk
            String scsi =
                    TestHost.createImage(dom + "-sdb.qcow2", "qcow2", "24M").toString();
            ok(CliRunner.run(CliRunner.argv("attach-disk " + dom + " " + scsi
                    + " sdb --targetbus scsi --subdriver qcow2 --throttle-groups g --live")));
            linux.readSeconds(24, linux.mark());
            ok(CliRunner.run("detach-disk", dom, "sdb", "--live"));
            assertThat(guest.state().blockNodes()).as("nothing of sdb left").isEqualTo(before);

            // released late: a virtio disk of a paused guest, let go once it runs again, cleaned up by watch
            String virtio =
                    TestHost.createImage(dom + "-vdb.qcow2", "qcow2", "28M").toString();
            ok(CliRunner.run(CliRunner.argv("attach-disk " + dom + " " + virtio
                    + " vdb --targetbus virtio --subdriver qcow2 --throttle-groups g --live")));
            linux.readSeconds(28, linux.mark());
            guest.virsh("suspend", dom);
            CliRunner.Result pending = CliRunner.run("detach-disk", dom, "vdb", "--live");
            assertThat(pending.exitCode()).as(pending.toString()).isEqualTo(1);
            assertThat(pending.err()).startsWith("error: detach of disk vdb is pending");
            assertThat(guest.chainUnder(guest.aliasOf("vdb"))).containsExactly("throttle(throttle-g)", "qcow2", "file");

            try (WatchProcess watch = WatchProcess.start("-c", TestHost.URI, "watch", dom)) {
                watch.await("watch's initial check", 30, () -> watch.log().contains(dom + ": initial check"));
                guest.virsh("resume", dom);
                watch.await(
                        "the guest letting go of vdb and watch deleting what is left",
                        60,
                        () -> watch.log().contains(dom + ": device_removed")
                                && guest.state().blockNodes().equals(before));
                assertThat(guest.liveXml()).doesNotContain("<target dev='vdb'");
                assertThat(watch.log())
                        .contains(dom + ": device_removed (virtio-disk1): forgot the throttle filters of vdb")
                        .contains("deleted orphan throttle filter node vtf-vdb-0")
                        .contains("of a disk libvirt has detached");
                assertThat(CliRunner.run("throttlefilterlist", dom).out()).doesNotContain("vdb");
                watch.stop();
            }
            assertThat(guest.qmp("{\"execute\":\"query-status\"}")
                            .path("status")
                            .asText())
                    .isEqualTo("running");
        }
    }
}
