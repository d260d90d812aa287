package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.virtthrottle.testing.ClassGuest;
import org.virtthrottle.testing.LinuxGuest;
import org.virtthrottle.testing.TestHost;
import org.virtthrottle.testing.WatchProcess;

/**
 * libvirt's block jobs on throttled disks of a real Linux guest that reads them all the time: a scsi
 * disk in the main loop (sdb), a virtio disk in an IOThread (vdb) and a scsi disk of a virtio-scsi
 * controller in another IOThread (sdc). Plain virsh is refused by QEMU
 * ("Need a root block node") or leaves the guest at the old size; through virt-throttle each job
 * ends with the chain on the disk's new top, the guest's reads held to its group, libvirt's XML
 * naming the new image, reconcile in sync and the guest running.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BlockJobsIT {
    /** Seconds a round of 40 reads takes at least behind a 40 IOPS group (unthrottled: about 0.02 s). */
    private static final double THROTTLED = 0.75;
    /** The guest tells its disks apart by size (MiB). */
    private static final Map<String, Integer> MIB = Map.of("sdb", 48, "vdb", 56, "sdc", 44);

    private static final int NBD_PORT = 10809;
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    @RegisterExtension
    static final ClassGuest<LinuxGuest> GUEST = ClassGuest.startedBy(BlockJobsIT::boot);

    private final LinuxGuest linux = GUEST.guest();
    private final String dom = linux.name();

    private static LinuxGuest boot() {
        String sdb = TestHost.createImage("jobs-sdb-" + System.nanoTime() + ".qcow2", "qcow2", "48M")
                .toString();
        String vdb = TestHost.createImage("jobs-vdb-" + System.nanoTime() + ".qcow2", "qcow2", "56M")
                .toString();
        String sdc = TestHost.createImage("jobs-sdc-" + System.nanoTime() + ".qcow2", "qcow2", "44M")
                .toString();
        return LinuxGuest.boot(
                "<iothreads>2</iothreads>",
                "<controller type='scsi' index='0' model='virtio-scsi'/>"
                        + "<controller type='scsi' index='1' model='virtio-scsi'><driver iothread='2'/></controller>"
                        + "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
                        + "<source file='" + sdc + "'/><target dev='sdc' bus='scsi'/>"
                        + "<address type='drive' controller='1' bus='0' target='0' unit='0'/></disk>"
                        + "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
                        + "<source file='" + sdb + "'/><target dev='sdb' bus='scsi'/></disk>"
                        + "<disk type='file' device='disk'><driver name='qemu' type='qcow2' iothread='1'/>"
                        + "<source file='" + vdb + "'/><target dev='vdb' bus='virtio'/></disk>");
    }

    @AfterEach
    void theGuestIsStillRunningAndInSync() {
        assertThat(linux.guest()
                        .qmp("{\"execute\":\"query-status\"}")
                        .path("status")
                        .asText())
                .isEqualTo("running");
        assertThat(linux.guest().state().blockNodes()).as("no placeholder left").noneMatch(n -> n.startsWith("vtp-"));
        CliRunner.Result reconcile = CliRunner.run("reconcile", dom);
        ok(reconcile);
        assertThat(reconcile.out()).contains(dom + ": in sync");
    }

    private static void ok(CliRunner.Result r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }

    /** A group of 40 IOPS on the disk, which the guest's 40 reads a round then take 1 s under. */
    private String throttle(String target, String group) {
        ok(CliRunner.run(CliRunner.argv("throttlegroupset " + dom + " " + group + " --total-iops-sec 40 --live")));
        ok(CliRunner.run("throttlefilterset", dom, target, group, "--live"));
        assertThat(chain(target)).containsExactly("throttle(throttle-" + group + ")", "qcow2", "file");
        return group;
    }

    private List<String> chain(String target) {
        return linux.guest().chainUnder(linux.guest().aliasOf(target));
    }

    private String source(String target) {
        for (String line : linux.guest().virsh("domblklist", dom).split("\n")) {
            String[] words = line.trim().split("\\s+");
            if (words.length == 2 && words[0].equals(target)) {
                return words[1];
            }
        }
        throw new AssertionError("no " + target + " in domblklist");
    }

    /** An external disk-only snapshot of the one disk; the guest's other disk stays out of it. */
    private String snapshot(String target, String name) {
        String overlay = TestHost.imageDir()
                .resolve(dom + "-" + target + "-" + name + ".qcow2")
                .toString();
        List<String> others = new java.util.ArrayList<>(List.of("sdb", "vdb", "sdc"));
        others.remove(target);
        linux.guest()
                .virsh(
                        "snapshot-create-as",
                        dom,
                        name + System.nanoTime(),
                        "--disk-only",
                        "--no-metadata",
                        "--diskspec",
                        target + ",file=" + overlay,
                        "--diskspec",
                        others.get(0) + ",snapshot=no",
                        "--diskspec",
                        others.get(1) + ",snapshot=no");
        return overlay;
    }

    /** The guest's reads of the disk, from a round that began after this point, are held to 40 IOPS. */
    private void heldToItsGroup(String target, long mark) {
        assertThat(linux.readSeconds(MIB.get(target), mark))
                .as("the guest's reads of " + target + " behind its group")
                .isGreaterThan(THROTTLED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sdb", "vdb", "sdc"})
    void activeCommitWithPivotKeepsTheChainOnTheBase(String target) {
        String group = throttle(target, "commit" + target);
        String base = source(target);
        snapshot(target, "active");
        assertThat(chain(target)).as("a snapshot keeps the chain").startsWith("throttle(throttle-" + group + ")");
        assertThatThrownBy(() -> linux.guest().virsh("blockcommit", dom, target, "--active", "--pivot", "--wait"))
                .as("plain virsh is refused on a throttled disk")
                .hasMessageContaining("Need a root block node");

        long mark = linux.mark();
        CliRunner.Result commit = CliRunner.run("blockcommit", dom, target, "--active", "--pivot", "--verbose");
        ok(commit);
        assertThat(commit.out()).isEqualTo("\nSuccessfully pivoted\n");
        assertThat(commit.err()).contains("Block commit: [100 %]").contains("ran without its throttle filters");
        assertThat(source(target)).isEqualTo(base);
        assertThat(chain(target)).containsExactly("throttle(throttle-" + group + ")", "qcow2", "file");
        heldToItsGroup(target, mark);

        ok(CliRunner.run(
                CliRunner.argv("throttlegroupset " + dom + " other" + target + " --total-iops-sec 900 --live")));
        ok(CliRunner.run("throttlefilterset", dom, target, group + ",other" + target, "--live"));
        assertThat(chain(target))
                .as("re-chained after the job")
                .containsExactly(
                        "throttle(throttle-other" + target + ")", "throttle(throttle-" + group + ")", "qcow2", "file");
        ok(CliRunner.run("throttlefilterset", dom, target, group, "--live"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sdb", "vdb", "sdc"})
    void commitOfALowerLayerKeepsTheChainOnTheActiveOne(String target) {
        String group = throttle(target, "lower" + target);
        String base = source(target);
        String middle = snapshot(target, "middle");
        String top = snapshot(target, "top");

        long mark = linux.mark();
        CliRunner.Result commit = CliRunner.run("blockcommit", dom, target, "--top", middle, "--wait");
        ok(commit);
        assertThat(commit.out()).isEqualTo("\nCommit complete\n");
        assertThat(source(target)).isEqualTo(top);
        String live = linux.guest().liveXml();
        assertThat(live).contains(base).doesNotContain(middle);
        assertThat(chain(target)).containsExactly("throttle(throttle-" + group + ")", "qcow2", "file");
        heldToItsGroup(target, mark);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sdb", "vdb", "sdc"})
    void copyWithPivotLeavesTheChainOnTheCopy(String target) {
        String group = throttle(target, "copy" + target);
        String copy =
                TestHost.imageDir().resolve(dom + "-" + target + "-copy.qcow2").toString();
        assertThatThrownBy(() ->
                        linux.guest().virsh("blockcopy", dom, target, copy, "--transient-job", "--wait", "--pivot"))
                .as("plain virsh is refused on a throttled disk")
                .hasMessageContaining("Need a root block node");

        long mark = linux.mark();
        CliRunner.Result copied = CliRunner.run(
                "blockcopy", dom, target, "--dest", copy, "--format", "qcow2", "--transient-job", "--pivot");
        ok(copied);
        assertThat(copied.out()).isEqualTo("\nSuccessfully pivoted\n");
        assertThat(source(target)).isEqualTo(copy);
        assertThat(chain(target)).containsExactly("throttle(throttle-" + group + ")", "qcow2", "file");
        heldToItsGroup(target, mark);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sdb", "vdb", "sdc"})
    void anAbortedCopyLeavesTheChainOnTheOriginal(String target) {
        String group = throttle(target, "abort" + target);
        String before = source(target);
        String copy = TestHost.imageDir()
                .resolve(dom + "-" + target + "-aborted.qcow2")
                .toString();

        CliRunner.Result started = CliRunner.run(
                "blockcopy", dom, target, "--dest", copy, "--format", "qcow2", "--transient-job", "--bandwidth", "1");
        ok(started);
        assertThat(started.out()).isEqualTo("Block Copy started\n");
        assertThat(chain(target))
                .as("the chain sits on the job's node while it runs")
                .startsWith("throttle(throttle-" + group + ")");
        CliRunner.Result info = CliRunner.run("blockjob", dom, target, "--info");
        ok(info);
        assertThat(info.err()).contains("Block Copy: [");
        assertThat(info.out()).startsWith("    Bandwidth limit: 1048576 bytes/s (1.000 MiB/s)");
        CliRunner.Result second = CliRunner.run("blockcommit", dom, target, "--active");
        assertThat(second.exitCode()).as("no second job on the disk").isEqualTo(1);
        assertThat(second.err()).contains("already has a block job (Block Copy)");

        long mark = linux.mark();
        ok(CliRunner.run("blockjob", dom, target, "--abort"));
        CliRunner.Result none = CliRunner.run("blockjob", dom, target);
        ok(none);
        assertThat(none.out()).isEqualTo("No current block job for " + target + "\n");
        assertThat(source(target)).isEqualTo(before);
        assertThat(chain(target)).containsExactly("throttle(throttle-" + group + ")", "qcow2", "file");
        heldToItsGroup(target, mark);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sdb", "vdb", "sdc"})
    void aCopyLibvirtRefusesLeavesEverythingAsItWas(String target) {
        String group = throttle(target, "refused" + target);
        String before = source(target);
        var state = linux.guest().state();

        CliRunner.Result refused = CliRunner.run(
                "blockcopy",
                dom,
                target,
                "--dest",
                "/nonexistent/dir/copy.qcow2",
                "--format",
                "qcow2",
                "--transient-job",
                "--pivot");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err()).startsWith("error: step ").contains("start block copy on " + target);
        assertThat(source(target)).isEqualTo(before);
        assertThat(chain(target)).containsExactly("throttle(throttle-" + group + ")", "qcow2", "file");
        assertThat(linux.guest().state())
                .as("QEMU's graph and objects as before")
                .isEqualTo(state);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sdb", "vdb", "sdc"})
    void pullKeepsTheChain(String target) {
        String group = throttle(target, "pull" + target);
        String overlay = snapshot(target, "pulled");

        long mark = linux.mark();
        CliRunner.Result pulled = CliRunner.run("blockpull", dom, target, "--wait");
        ok(pulled);
        assertThat(pulled.out()).isEqualTo("\nPull complete\n");
        assertThat(source(target)).isEqualTo(overlay);
        assertThat(chain(target)).containsExactly("throttle(throttle-" + group + ")", "qcow2", "file");
        heldToItsGroup(target, mark);
    }

    /**
     * Runs QEMU's qemu-io on the disk's device: through its BlockBackend, the path the guest's own I/O
     * takes. HMP answers only errors (qemu-io's own output goes to QEMU's log).
     */
    private void deviceIo(String target, String command) {
        String alias = linux.guest().aliasOf(target);
        String qdev = target.startsWith("vd") ? "/machine/peripheral/" + alias + "/virtio-backend" : alias;
        ObjectNode args = JSON.createObjectNode().put("command-line", "qemu-io -d " + qdev + " \"" + command + "\"");
        assertThat(linux.guest().qmp("human-monitor-command", args).asText())
                .as(command + " on " + target)
                .isEmpty();
    }

    /** Checks the image's data at an offset from outside QEMU (shared, read-only), after a flush. */
    private void imageHolds(String target, String image, int pattern, String offset) {
        deviceIo(target, "flush");
        assertThat(TestHost.run(List.of(
                        "qemu-io",
                        "-U",
                        "-r",
                        "-f",
                        "qcow2",
                        image,
                        "-c",
                        "read -P " + pattern + " " + offset + " 64k")))
                .as(image + " holds " + pattern + " at " + offset)
                .contains("read 65536/65536")
                .doesNotContain("failed");
    }

    /** The backup XML of one disk; the guest's other disks stay out of it. */
    private String backupXml(String mode, String target, String disk) {
        StringBuilder xml = new StringBuilder("<domainbackup mode='" + mode + "'>");
        if (mode.equals("pull")) {
            xml.append("<server transport='tcp' name='127.0.0.1' port='" + NBD_PORT + "'/>");
        }
        xml.append("<disks>");
        for (String other : MIB.keySet()) {
            if (other.equals(target)) {
                xml.append("<disk name='" + target + "' backup='yes' type='file'><driver type='qcow2'/>")
                        .append(
                                mode.equals("pull")
                                        ? "<scratch file='" + disk + "'/>"
                                        : "<target file='" + disk + "'/>")
                        .append("</disk>");
            } else {
                xml.append("<disk name='" + other + "' backup='no'/>");
            }
        }
        return xml.append("</disks></domainbackup>").toString();
    }

    private String beginBackup(String mode, String target, String disk) {
        java.nio.file.Path file = TestHost.imageDir().resolve(dom + "-" + target + "-" + mode + "-backup.xml");
        try {
            java.nio.file.Files.writeString(file, backupXml(mode, target, disk));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        return linux.guest().virsh("backup-begin", dom, file.toString());
    }

    private boolean aJobRuns() {
        return !linux.guest().virsh("domjobinfo", dom).contains("None");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sdb", "vdb", "sdc"})
    void aPushBackupCopiesTheDiskAndKeepsTheChain(String target) {
        String group = throttle(target, "push" + target);
        deviceIo(target, "write -P 0x5a 0 64k");
        imageHolds(target, source(target), 0x5a, "0");
        String copy =
                TestHost.imageDir().resolve(dom + "-" + target + "-push.qcow2").toString();

        long mark = linux.mark();
        assertThat(beginBackup("push", target, copy)).contains("Backup started");
        long deadline = System.currentTimeMillis() + 60_000;
        while (aJobRuns()) {
            assertThat(System.currentTimeMillis())
                    .as("the backup ends within 60 s")
                    .isLessThan(deadline);
            TestHost.sleep(200);
        }
        assertThat(linux.guest().virsh("domjobinfo", dom, "--completed")).contains("Completed");
        assertThat(TestHost.run(List.of("qemu-io", "-f", "qcow2", "-r", copy, "-c", "read -P 0x5a 0 64k")))
                .as("the backup holds what the guest's disk held")
                .contains("read 65536/65536");
        assertThat(chain(target)).containsExactly("throttle(throttle-" + group + ")", "qcow2", "file");
        heldToItsGroup(target, mark);
    }

    /**
     * A pull backup puts QEMU's copy-before-write filter between the chain and the image; a re-chain
     * while it runs must keep that filter in the guest's write path, or the backup silently takes in
     * what the guest wrote after it began. QEMU 7.2 aborts ("nbd_blockdev_client_closed: Assertion")
     * when an NBD client of a disk in an IOThread disconnects, with or without virt-throttle, so
     * there the export is read only for the main-loop disk.
     */
    @ParameterizedTest
    @ValueSource(strings = {"sdb", "vdb", "sdc"})
    void aPullBackupKeepsShowingTheDiskAsItWasAcrossARechain(String target) {
        String group = throttle(target, "pull" + target);
        ok(CliRunner.run(
                CliRunner.argv("throttlegroupset " + dom + " wide" + target + " --total-iops-sec 900 --live")));
        deviceIo(target, "write -P 0x11 0 64k");
        deviceIo(target, "write -P 0x22 1M 64k");
        String scratch = TestHost.imageDir()
                .resolve(dom + "-" + target + "-scratch.qcow2")
                .toString();

        String image = source(target);
        assertThat(beginBackup("pull", target, scratch)).contains("Backup started");
        try {
            deviceIo(target, "write -P 0x33 0 64k");
            ok(CliRunner.run("throttlefilterset", dom, target, group + ",wide" + target, "--live"));
            assertThat(chain(target))
                    .as("the re-chain keeps QEMU's backup filter under the chain")
                    .containsExactly(
                            "throttle(throttle-wide" + target + ")",
                            "throttle(throttle-" + group + ")",
                            "copy-before-write",
                            "qcow2",
                            "file");
            deviceIo(target, "write -P 0x44 1M 64k");
            imageHolds(target, image, 0x33, "0");
            imageHolds(target, image, 0x44, "1M");
            boolean exportReadable = target.equals("sdb")
                    || linux.guest()
                                    .qmp("{\"execute\":\"query-version\"}")
                                    .path("qemu")
                                    .path("major")
                                    .asInt()
                            >= 8;
            if (exportReadable) {
                String export = "nbd://127.0.0.1:" + NBD_PORT + "/" + target;
                assertThat(TestHost.run(List.of(
                                "qemu-io",
                                "-f",
                                "raw",
                                "-r",
                                export,
                                "-c",
                                "read -P 0x11 0 64k",
                                "-c",
                                "read -P 0x22 1M 64k")))
                        .as("the export shows the disk as it was when the backup began")
                        .contains("read 65536/65536")
                        .doesNotContain("failed");
            }
        } finally {
            if (aJobRuns()) {
                linux.guest().virsh("domjobabort", dom);
            }
        }

        long mark = linux.mark();
        assertThat(chain(target))
                .containsExactly(
                        "throttle(throttle-wide" + target + ")", "throttle(throttle-" + group + ")", "qcow2", "file");
        ok(CliRunner.run("throttlefilterset", dom, target, group, "--live"));
        assertThat(chain(target)).containsExactly("throttle(throttle-" + group + ")", "qcow2", "file");
        heldToItsGroup(target, mark);
    }

    /**
     * The guest sees a virtio disk's new size at once; a scsi disk's after a rescan, so QEMU's size is
     * checked there. Last: the guest tells disks apart by size.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void aResizeReachesTheGuestAndReconcileRepairsOneDoneBehindItsBack() {
        throttle("vdb", "resize");
        long mark = linux.mark();
        CliRunner.Result resized = CliRunner.run("blockresize", dom, "vdb", "64M");
        ok(resized);
        assertThat(resized.out()).isEqualTo("Block device 'vdb' is resized\n");
        assertThat(linux.readSeconds(64, mark))
                .as("the guest reads the disk at its new size")
                .isPositive();
        assertThat(deviceSize("vdb")).isEqualTo(64L << 20);

        throttle("sdb", "resizescsi");
        linux.guest().virsh("blockresize", dom, "sdb", "60M");
        assertThat(deviceSize("sdb"))
                .as("plain virsh leaves the filter at the old size")
                .isEqualTo(48L << 20);
        CliRunner.Result reconcile = CliRunner.run("reconcile", dom);
        ok(reconcile);
        assertThat(reconcile.out()).contains(dom + ": passed the new size of sdb's image up to the guest");
        assertThat(deviceSize("sdb")).isEqualTo(60L << 20);

        // watch gets no event for a resize: its interval check finds it
        throttle("sdc", "resizewatch");
        try (WatchProcess watch = WatchProcess.start("-c", TestHost.URI, "watch", dom, "--check-interval", "1")) {
            watch.await("watch's initial check", 30, () -> watch.log().contains(dom + ": initial check: in sync"));
            linux.guest().virsh("blockresize", dom, "sdc", "52M");
            watch.await("watch passing sdc's new size up", 30, () -> watch.log()
                    .contains(dom + ": interval check: passed the new size of sdc's image up to the guest"));
            assertThat(deviceSize("sdc")).isEqualTo(52L << 20);
            assertThat(watch.log())
                    .as("in sync: interval checks say nothing")
                    .doesNotContain("interval check: in sync");
        }
    }

    /** The size the guest's device sees: its root node's, as query-block reports it. */
    private long deviceSize(String target) {
        String alias = linux.guest().aliasOf(target);
        for (JsonNode b : linux.guest().qmp("{\"execute\":\"query-block\"}")) {
            String qdev = b.path("qdev").asText();
            if (qdev.equals(alias) || qdev.startsWith("/machine/peripheral/" + alias + "/")) {
                return b.path("inserted").path("image").path("virtual-size").asLong();
            }
        }
        throw new AssertionError("no device " + alias);
    }
}
