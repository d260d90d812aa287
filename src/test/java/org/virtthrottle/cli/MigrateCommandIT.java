package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.virtthrottle.testing.GuestState;
import org.virtthrottle.testing.LinuxGuest;
import org.virtthrottle.testing.TestGuest;
import org.virtthrottle.testing.TestHost;

/**
 * migrate --copy-storage-all of a guest with throttled disks, from this host's libvirt 9.0 + QEMU 7.2
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
        return throttledGuest(name, image, 0);
    }

    /** The same, with the first {@code dataMiB} MiB of the disk written (for a storage copy that takes time). */
    private static TestGuest throttledGuest(String name, Path image, int dataMiB) {
        TestHost.run(List.of("qemu-img", "create", "-q", "-f", "qcow2", image.toString(), "64M"));
        if (dataMiB > 0) {
            TestHost.run(List.of("qemu-io", "-f", "qcow2", "-c", "write -P 7 0 " + dataMiB + "M", image.toString()));
        }
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

    private static String status(TestGuest guest) {
        return guest.qmp("{\"execute\":\"query-status\"}").path("status").asText();
    }

    /** Ends the domain on the destination, if it runs there. */
    private static void destroy(String destination, String dom) {
        TestHost.run(List.of("sh", "-c", "virsh -c '" + destination + "' destroy " + dom + " >/dev/null 2>&1 || true"));
    }

    private static String port() {
        return Integer.toString(49300 + (int) (ProcessHandle.current().pid() % 500));
    }

    /**
     * A real Linux guest reading a scsi disk (main loop) and a virtio disk in an IOThread, both behind
     * a group of 20 IOPS: after the storage migration the destination runs both behind their chain,
     * the guest's reads are held to the group there, and the chain can be changed and the disk detached.
     */
    @Test
    void throttledDisksAreCopiedAndTheDestinationRunsThemBehindTheirChain() {
        String destination = TestHost.rootUri("bookworm-qemu10");
        Path root = TestHost.root("bookworm-qemu10");
        String tag = UUID.randomUUID().toString().substring(0, 8);
        Path sdb = Path.of(IMAGES, "vt-it-" + tag + "-sdb.qcow2");
        Path vdb = Path.of(IMAGES, "vt-it-" + tag + "-vdb.qcow2");
        List<Path> images = List.of(sdb, vdb, Path.of(root + sdb.toString()), Path.of(root + vdb.toString()));
        for (Path image : images) {
            String size = image.toString().endsWith("sdb.qcow2") ? "48M" : "56M";
            TestHost.run(List.of("qemu-img", "create", "-q", "-f", "qcow2", image.toString(), size));
        }
        try (LinuxGuest linux = LinuxGuest.boot(
                "<iothreads>1</iothreads>",
                "<controller type='scsi' model='virtio-scsi'/>"
                        + "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='" + sdb
                        + "'/><target dev='sdb' bus='scsi'/></disk>"
                        + "<disk type='file' device='disk'><driver name='qemu' type='qcow2' iothread='1'/>"
                        + "<source file='" + vdb + "'/><target dev='vdb' bus='virtio'/></disk>")) {
            TestGuest guest = linux.guest();
            String dom = linux.name();
            ok(CliRunner.launch(
                    "",
                    "throttlegroupset " + dom + " g --total-iops-sec 20 --live; throttlefilterset " + dom
                            + " sdb g --live; throttlefilterset " + dom + " vdb g --live"));
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
                    "--migrate-disks",
                    "sdb,vdb",
                    "--unsafe",
                    "--verbose",
                    dom,
                    destination,
                    "--migrateuri",
                    uri);

            try {
                ok(r);
                assertThat(r.out()).isBlank();
                assertThat(r.err()).contains("\rMigration: [100 %]\n");
                for (String disk : List.of("sdb", "vdb")) {
                    assertThat(r.err())
                            .containsPattern("note: " + disk + " ran without its throttle filters for \\d+ ms while"
                                    + " libvirt migrated the domain");
                }
                assertThat(guest.isActive()).isFalse();
                TestGuest moved = TestGuest.existingOn(destination, dom);
                long mark = linux.mark();
                for (String disk : List.of("sdb", "vdb")) {
                    assertThat(moved.chainUnder(moved.aliasOf(disk)))
                            .as(disk + " on the destination")
                            .containsExactly("throttle(throttle-g)", "qcow2", "file");
                }
                assertThat(moved.qomLimits("throttle-g").get("iops-total").asLong())
                        .isEqualTo(20);
                assertThat(moved.qmp("{\"execute\":\"query-block\"}").toString())
                        .contains(sdb.toString())
                        .contains(vdb.toString());
                assertThat(linux.readSeconds(48, mark))
                        .as("the guest's reads of sdb on the destination behind its group")
                        .isGreaterThan(1.5);
                assertThat(linux.readSeconds(56, mark))
                        .as("the guest's reads of vdb (IOThread) on the destination behind its group")
                        .isGreaterThan(1.5);
                CliRunner.Result reconcile = CliRunner.run("-c", destination, "reconcile", dom);
                ok(reconcile);
                assertThat(reconcile.out()).isEqualTo(dom + ": in sync\n\n");

                ok(CliRunner.launch(
                        "",
                        "-c",
                        destination,
                        "throttlegroupset " + dom + " h --total-iops-sec 900 --live; throttlefilterset " + dom
                                + " vdb g,h --live; detach-disk " + dom + " sdb --live"));
                assertThat(moved.chainUnder(moved.aliasOf("vdb")))
                        .containsExactly("throttle(throttle-h)", "throttle(throttle-g)", "qcow2", "file");
                assertThat(moved.liveXml()).doesNotContain("dev='sdb'");
                assertThat(status(moved)).isEqualTo("running");
            } finally {
                destroy(destination, dom);
            }
        } finally {
            images.forEach(image -> image.toFile().delete());
        }
    }

    /**
     * --suspend: the destination keeps the domain paused with its disks inactive, which QEMU's filters
     * cannot sit on; the command says so, and reconcile there throttles the domain once it is resumed.
     */
    @Test
    void aSuspendedMigrationIsThrottledOnTheDestinationOnceResumed() {
        String destination = TestHost.rootUri("bookworm-qemu10");
        String dom = "vt-it-" + UUID.randomUUID().toString().substring(0, 8);
        Path image = Path.of(IMAGES, dom + "-sdb.qcow2");
        Path there = Path.of(TestHost.root("bookworm-qemu10") + image.toString());
        TestHost.run(List.of("qemu-img", "create", "-q", "-f", "qcow2", there.toString(), "64M"));
        try (TestGuest guest = throttledGuest(dom, image)) {
            CliRunner.Result r = CliRunner.run(
                    "migrate",
                    "--live",
                    "--suspend",
                    "--copy-storage-all",
                    "--unsafe",
                    dom,
                    destination,
                    "--migrateuri",
                    "tcp://127.0.0.1:" + port());
            try {
                ok(r);
                assertThat(r.err())
                        .isEqualTo("note: " + dom + " is paused on " + destination
                                + ": its throttling is applied by reconcile (or watch) there once it is resumed;"
                                + " until then sdb run without throttle filters\n");
                assertThat(guest.isActive()).isFalse();
                TestGuest moved = TestGuest.existingOn(destination, dom);
                assertThat(status(moved)).isEqualTo("paused");

                moved.virsh("resume", dom);
                CliRunner.Result reconcile = CliRunner.run("-c", destination, "reconcile", dom);
                ok(reconcile);
                assertThat(reconcile.out()).contains(dom + ": created throttle group g");
                assertThat(moved.chainUnder(moved.aliasOf("sdb")))
                        .containsExactly("throttle(throttle-g)", "qcow2", "file");
                assertThat(moved.qomLimits("throttle-g").get("iops-total").asLong())
                        .isEqualTo(100);
                assertThat(status(moved)).isEqualTo("running");
            } finally {
                destroy(destination, dom);
            }
        } finally {
            image.toFile().delete();
            there.toFile().delete();
        }
    }

    /**
     * --timeout, as virsh: a live migration still running after the timeout has the guest suspended on the
     * source while the migration goes on (libvirt reports that suspend, like the migration's own pause at
     * its end, as "paused (migrating)": seen here seconds before the end), completes, and runs on the
     * destination behind its chain. The storage copy is made slow (8 MiB of data at libvirt's migration
     * bandwidth of 2 MiB/s), and fast again 3.5 s after the source was seen paused.
     */
    @Test
    void aLiveMigrationPastItsTimeoutIsSuspendedAndArrivesThrottled() throws Exception {
        String destination = TestHost.rootUri("bookworm-qemu10");
        String dom = "vt-it-" + UUID.randomUUID().toString().substring(0, 8);
        Path image = Path.of(IMAGES, dom + "-sdb.qcow2");
        Path there = Path.of(TestHost.root("bookworm-qemu10") + image.toString());
        TestHost.run(List.of("qemu-img", "create", "-q", "-f", "qcow2", there.toString(), "64M"));
        try (TestGuest guest = throttledGuest(dom, image, 8)) {
            guest.virsh("migrate-setspeed", dom, "2");
            long start = System.nanoTime();
            long[] pausedAt = {0};
            java.util.concurrent.atomic.AtomicBoolean migrating = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread watcher = new Thread(() -> {
                while (migrating.get() && pausedAt[0] == 0) {
                    String state = TestHost.run(List.of(
                            "sh", "-c", "virsh -c " + TestHost.URI + " domstate " + dom + " 2>/dev/null || true"));
                    if (state.startsWith("paused")) {
                        pausedAt[0] = System.nanoTime();
                    }
                    TestHost.sleep(200);
                }
                // the rest at full speed (a migration already ended refuses: fine)
                TestHost.sleep(3500);
                TestHost.run(List.of(
                        "sh",
                        "-c",
                        "virsh -c " + TestHost.URI + " migrate-setspeed " + dom + " 8000 >/dev/null 2>&1 || true"));
            });
            watcher.start();
            CliRunner.Result r;
            try {
                r = CliRunner.run(
                        "migrate",
                        "--live",
                        "--copy-storage-all",
                        "--unsafe",
                        "--timeout",
                        "1",
                        dom,
                        destination,
                        "--migrateuri",
                        "tcp://127.0.0.1:" + port());
            } finally {
                migrating.set(false);
                watcher.join();
            }
            long end = System.nanoTime();
            try {
                ok(r);
                assertThat(pausedAt[0]).as("the source seen paused").isPositive();
                assertThat((pausedAt[0] - start) / 1_000_000)
                        .as("ms from the start until the source was seen paused")
                        .isGreaterThanOrEqualTo(1000);
                assertThat((end - pausedAt[0]) / 1_000_000)
                        .as("ms the migration went on after the source was seen paused")
                        .isGreaterThan(3000);
                assertThat(guest.isActive()).isFalse();
                TestGuest moved = TestGuest.existingOn(destination, dom);
                assertThat(status(moved)).isEqualTo("running");
                assertThat(moved.chainUnder(moved.aliasOf("sdb")))
                        .containsExactly("throttle(throttle-g)", "qcow2", "file");
                assertThat(moved.qomLimits("throttle-g").get("iops-total").asLong())
                        .isEqualTo(100);
                CliRunner.Result reconcile = CliRunner.run("-c", destination, "--dry-run", "reconcile", dom);
                ok(reconcile);
                assertThat(reconcile.out().strip()).isEqualTo(dom + ": in sync");
            } finally {
                destroy(destination, dom);
            }
        } finally {
            image.toFile().delete();
            there.toFile().delete();
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
            assertThat(status(guest)).isEqualTo("running");
        } finally {
            image.toFile().delete();
        }
    }
}
