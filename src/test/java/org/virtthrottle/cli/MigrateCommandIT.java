package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.virtthrottle.testing.GuestState;
import org.virtthrottle.testing.TestGuest;
import org.virtthrottle.testing.TestHost;

/**
 * migrate --copy-storage-all of a guest with a throttled disk, from this host's libvirt 9.0 + QEMU 7.2
 * to the bookworm-qemu10 test host (libvirt 9.0 + QEMU 10.0). The disk image lives below
 * /var/lib/libvirt/images, which is not shared with the test host's root (unlike /tmp): the
 * destination's copy is made there at the same path, as libvirt wants it for a storage copy.
 */
@Tag("integration")
class MigrateCommandIT {
    private static final String IMAGES = "/var/lib/libvirt/images";

    private static void ok(CliRunner.Result r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }

    /** A running guest with one qcow2 scsi disk sdb behind group g; its image at {@code image}. */
    private static TestGuest throttledGuest(String name, Path image) {
        TestHost.run(List.of("qemu-img", "create", "-q", "-f", "qcow2", image.toString(), "64M"));
        TestGuest guest = TestGuest.startXml(
                name,
                "<domain type='qemu'><name>" + name + "</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>"
                        + "<os><type arch='x86_64' machine='pc'>hvm</type></os><features><acpi/></features><devices>"
                        + "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='" + image
                        + "'/><target dev='sdb' bus='scsi'/></disk>"
                        + "<controller type='scsi' model='virtio-scsi'/><memballoon model='none'/></devices></domain>");
        ok(CliRunner.launch(
                "",
                "throttlegroupset " + name + " g --total-iops-sec 100 --live; throttlefilterset " + name
                        + " sdb g --live"));
        return guest;
    }

    private static String port() {
        return Integer.toString(49300 + (int) (ProcessHandle.current().pid() % 500));
    }

    @Test
    void aThrottledDiskIsCopiedAndTheDestinationRunsItBehindItsChain() {
        String destination = TestHost.rootUri("bookworm-qemu10");
        Path root = TestHost.root("bookworm-qemu10");
        String dom = "vt-it-" + UUID.randomUUID().toString().substring(0, 8);
        Path image = Path.of(IMAGES, dom + "-sdb.qcow2");
        Path copy = Path.of(root + image.toString());
        TestHost.run(List.of("qemu-img", "create", "-q", "-f", "qcow2", copy.toString(), "64M"));
        try (TestGuest guest = throttledGuest(dom, image)) {
            String uri = "tcp://127.0.0.1:" + port();
            assertThatThrownBy(() -> guest.virsh(
                            "migrate",
                            "--live",
                            "--copy-storage-all",
                            "--unsafe",
                            dom,
                            destination,
                            "--migrateuri",
                            uri))
                    .as("the problem this command solves")
                    .hasMessageContaining("Need a root block node");
            assertThat(guest.chainUnder(guest.aliasOf("sdb"))).containsExactly("throttle(throttle-g)", "qcow2", "file");

            CliRunner.Result r = CliRunner.run(
                    "migrate",
                    "--live",
                    "--copy-storage-all",
                    "--unsafe",
                    "--verbose",
                    dom,
                    destination,
                    "--migrateuri",
                    uri);

            try {
                ok(r);
                assertThat(r.out()).isBlank();
                assertThat(r.err())
                        .contains("\rMigration: [100 %]\n")
                        .containsPattern("note: sdb ran without its throttle filters for \\d+ ms while libvirt migrated"
                                + " the domain");
                assertThat(guest.isActive()).isFalse();
                TestGuest moved = TestGuest.existingOn(destination, dom);
                assertThat(moved.chainUnder(moved.aliasOf("sdb")))
                        .containsExactly("throttle(throttle-g)", "qcow2", "file");
                assertThat(moved.qomLimits("throttle-g").get("iops-total").asLong())
                        .isEqualTo(100);
                assertThat(moved.qmp("{\"execute\":\"query-block\"}").toString())
                        .contains(image.toString());
                CliRunner.Result reconcile = CliRunner.run("-c", destination, "reconcile", dom);
                ok(reconcile);
                assertThat(reconcile.out()).isEqualTo(dom + ": in sync\n\n");
                assertThat(moved.qmp("{\"execute\":\"query-status\"}")
                                .path("status")
                                .asText())
                        .isEqualTo("running");
            } finally {
                TestHost.run(List.of(
                        "sh", "-c", "virsh -c '" + destination + "' destroy " + dom + " >/dev/null 2>&1 || true"));
            }
        } finally {
            image.toFile().delete();
            copy.toFile().delete();
        }
    }

    /** No image at the disk's path on the destination: libvirt fails, and the source keeps running behind its chain. */
    @Test
    void aFailedMigrationLeavesTheSourceRunningBehindItsChain() {
        String destination = TestHost.rootUri("bookworm-qemu10");
        String dom = "vt-it-" + UUID.randomUUID().toString().substring(0, 8);
        Path image = Path.of(IMAGES, dom + "-sdb.qcow2");
        try (TestGuest guest = throttledGuest(dom, image)) {
            GuestState before = guest.state();

            CliRunner.Result r = CliRunner.run(
                    "migrate",
                    "--live",
                    "--copy-storage-all",
                    "--unsafe",
                    dom,
                    destination,
                    "--migrateuri",
                    "tcp://127.0.0.1:" + port());

            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            assertThat(r.err())
                    .contains("error: Storage pool not found: no storage pool with matching target path '" + IMAGES
                            + "'\n")
                    .containsPattern("note: sdb ran without its throttle filters for \\d+ ms while libvirt tried to"
                            + " migrate the domain");
            assertThat(guest.isActive()).isTrue();
            assertThat(guest.chainUnder(guest.aliasOf("sdb"))).containsExactly("throttle(throttle-g)", "qcow2", "file");
            assertThat(guest.state()).isEqualTo(before);
            assertThat(guest.qmp("{\"execute\":\"query-status\"}")
                            .path("status")
                            .asText())
                    .isEqualTo("running");
        } finally {
            image.toFile().delete();
        }
    }
}
