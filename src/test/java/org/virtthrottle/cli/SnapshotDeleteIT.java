package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.virtthrottle.testing.GuestState;
import org.virtthrottle.testing.TestGuest;
import org.virtthrottle.testing.TestGuest.Disk;
import org.virtthrottle.testing.TestHost;

/**
 * snapshot-delete of an external snapshot on a throttled disk (libvirt 9.0 commits it with
 * block-commit, which QEMU refuses under our filters): the filters are lifted for the call and come
 * back above the base image; on failure they come back where they were.
 */
@Tag("integration")
class SnapshotDeleteIT {
    private static void ok(CliRunner.Result r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }

    private static TestGuest throttledGuest() {
        TestGuest guest = TestGuest.start(new Disk("sdb", "scsi", "qcow2"), new Disk("vda", "virtio", "qcow2"));
        String dom = guest.name();
        ok(CliRunner.launch(
                "",
                "throttlegroupset " + dom + " g --total-iops-sec 100 --live; "
                        + "throttlefilterset " + dom + " sdb g --live; "
                        + "throttlefilterset " + dom + " vda g --live"));
        return guest;
    }

    /** An external disk-only snapshot of sdb (with libvirt metadata), vda left out. */
    private static Path snapshot(TestGuest guest, String name) {
        Path overlay = TestHost.imageDir().resolve(guest.name() + "-sdb." + name);
        guest.virsh(
                "snapshot-create-as",
                guest.name(),
                name,
                "--disk-only",
                "--diskspec",
                "sdb,snapshot=external,file=" + overlay,
                "--diskspec",
                "vda,snapshot=no");
        return overlay;
    }

    @Test
    void anExternalSnapshotOfAThrottledDiskIsDeletedAndTheChainEndsOnTheBase() {
        try (TestGuest guest = throttledGuest()) {
            String dom = guest.name();
            String base = TestHost.imageDir().resolve(dom + "-sdb.qcow2").toString();
            Path overlay = snapshot(guest, "s1");
            assertThat(guest.chainUnder(guest.aliasOf("sdb")))
                    .as("libvirt's blockdev-snapshot keeps the chain on the new overlay")
                    .containsExactly("throttle(throttle-g)", "qcow2", "file");

            assertThatThrownBy(() -> guest.virsh("snapshot-delete", dom, "s1"))
                    .as("the problem this command solves")
                    .hasMessageContaining("Need a root block node");

            CliRunner.Result r = CliRunner.run("snapshot-delete", dom, "s1");

            ok(r);
            assertThat(r.out()).isEqualTo("Domain snapshot s1 deleted\n\n");
            assertThat(r.err())
                    .containsPattern("note: sdb ran without its throttle filters for \\d+ ms while libvirt deleted the"
                            + " snapshot")
                    .as("vda is not in the snapshot: its filters stayed")
                    .doesNotContain("vda");
            assertThat(guest.chainUnder(guest.aliasOf("sdb"))).containsExactly("throttle(throttle-g)", "qcow2", "file");
            assertThat(guest.chainUnder(guest.aliasOf("vda"))).containsExactly("throttle(throttle-g)", "qcow2", "file");
            assertThat(guest.qmp("{\"execute\":\"query-block\"}").toString())
                    .contains(base)
                    .doesNotContain(overlay.toString());
            assertThat(guest.virsh("domblklist", dom)).contains(base).doesNotContain(overlay.toString());
            assertThat(guest.virsh("snapshot-list", dom, "--name").strip()).isEmpty();
            CliRunner.Result reconcile = CliRunner.run("reconcile", dom);
            ok(reconcile);
            assertThat(reconcile.out()).isEqualTo(dom + ": in sync\n\n");
            assertThat(guest.qmp("{\"execute\":\"query-status\"}")
                            .path("status")
                            .asText())
                    .isEqualTo("running");
        }
    }

    @Test
    void anUnknownSnapshotIsAnErrorAndNothingChanges() {
        try (TestGuest guest = throttledGuest()) {
            String dom = guest.name();
            GuestState before = guest.state();

            CliRunner.Result r = CliRunner.run("snapshot-delete", dom, "nosuch");

            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            assertThat(r.err())
                    .isEqualTo("error: Domain snapshot not found: no domain snapshot with matching name 'nosuch'\n");
            assertThat(guest.state()).isEqualTo(before);
        }
    }

    /** libvirt 9.0 refuses --children over external children, after the lift: the chain comes back as it was. */
    @Test
    void whenLibvirtRefusesTheFiltersComeBackWhereTheyWere() {
        try (TestGuest guest = throttledGuest()) {
            String dom = guest.name();
            snapshot(guest, "s1");
            snapshot(guest, "s2");
            GuestState before = guest.state();

            CliRunner.Result r = CliRunner.run("snapshot-delete", dom, "s1", "--children");

            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            assertThat(r.err())
                    .contains("error: Failed to delete snapshot s1: unsupported configuration: deletion of external"
                            + " children disk snapshots not supported")
                    .containsPattern("note: sdb ran without its throttle filters for \\d+ ms");
            assertThat(guest.chainUnder(guest.aliasOf("sdb"))).containsExactly("throttle(throttle-g)", "qcow2", "file");
            assertThat(guest.state()).isEqualTo(before);
            assertThat(guest.virsh("snapshot-list", dom, "--name"))
                    .contains("s1")
                    .contains("s2");
        }
    }
}
