package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.virtthrottle.testing.NativeHost;
import org.virtthrottle.testing.TestHost;

/**
 * The block commands on libvirt 11.3 + QEMU 10 (the Debian 13 root), whose own throttle filters
 * (upstream's {@code <throttlefilters>}) sit on a real Linux guest's scsi disk (sdb, main loop) and
 * virtio disk in an IOThread (vdb), both reading all the time: libvirt runs the jobs itself, so
 * virt-throttle passes them through and prints what it prints on 9.x; a resize, which leaves
 * libvirt's own top filter at the old size, reaches the guest through virt-throttle and is repaired
 * by reconcile after a plain virsh's.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NativeBlockJobsIT {
    private static final double THROTTLED = 1.5;
    private static final Map<String, Integer> MIB = Map.of("sdb", 48, "vdb", 56);
    private static final List<String> CHAIN = List.of("throttle(throttle-slow)", "qcow2", "file");

    @RegisterExtension
    static final ClassGuest<LinuxGuest> GUEST = ClassGuest.startedBy(NativeBlockJobsIT::boot);

    private final LinuxGuest linux = GUEST.guest();
    private final String dom = linux.name();

    /** Both disks behind libvirt's own filter of one group of 20 IOPS, from the domain XML. */
    private static LinuxGuest boot() {
        String sdb = TestHost.createImage("native-jobs-sdb-" + System.nanoTime() + ".qcow2", "qcow2", "48M")
                .toString();
        String vdb = TestHost.createImage("native-jobs-vdb-" + System.nanoTime() + ".qcow2", "qcow2", "56M")
                .toString();
        String filters = "<throttlefilters><throttlefilter group='slow'/></throttlefilters>";
        return LinuxGuest.bootOn(
                NativeHost.uri(),
                "<iothreads>1</iothreads><throttlegroups><throttlegroup><total_iops_sec>20</total_iops_sec>"
                        + "<group_name>slow</group_name></throttlegroup></throttlegroups>",
                "<controller type='scsi' index='0' model='virtio-scsi'/>"
                        + "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
                        + "<source file='" + sdb + "'/><target dev='sdb' bus='scsi'/>" + filters + "</disk>"
                        + "<disk type='file' device='disk'><driver name='qemu' type='qcow2' iothread='1'/>"
                        + "<source file='" + vdb + "'/><target dev='vdb' bus='virtio'/>" + filters + "</disk>");
    }

    @AfterEach
    void theGuestIsStillRunningAndInSync() {
        assertThat(linux.guest()
                        .qmp("{\"execute\":\"query-status\"}")
                        .path("status")
                        .asText())
                .isEqualTo("running");
        NativeHost.Result reconcile = NativeHost.virtThrottle("reconcile", dom);
        assertThat(reconcile.exitCode()).as(reconcile.toString()).isZero();
        assertThat(reconcile.out()).contains(dom + ": in sync");
    }

    private static NativeHost.Result ok(NativeHost.Result r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
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

    private void heldToItsGroup(String target, long mark) {
        assertThat(linux.readSeconds(MIB.get(target), mark))
                .as("the guest's reads of " + target + " behind libvirt's filter")
                .isGreaterThan(THROTTLED);
    }

    private void snapshot(String target) {
        String overlay = TestHost.imageDir()
                .resolve(dom + "-" + target + "-" + System.nanoTime() + ".qcow2")
                .toString();
        String other = target.equals("sdb") ? "vdb" : "sdb";
        NativeHost.run(
                "virsh",
                "-c",
                "qemu:///system",
                "snapshot-create-as",
                dom,
                "s" + System.nanoTime(),
                "--disk-only",
                "--no-metadata",
                "--diskspec",
                target + ",file=" + overlay,
                "--diskspec",
                other + ",snapshot=no");
        assertThat(source(target)).isEqualTo(overlay);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sdb", "vdb"})
    void activeCommitWithPivot(String target) {
        String base = source(target);
        snapshot(target);
        assertThat(chain(target)).as("libvirt's filter over the overlay").isEqualTo(CHAIN);

        long mark = linux.mark();
        NativeHost.Result commit =
                ok(NativeHost.virtThrottle("blockcommit", dom, target, "--active", "--pivot", "--verbose"));
        assertThat(commit.out()).isEqualTo("\nSuccessfully pivoted\n");
        assertThat(commit.err()).contains("Block commit: [100 %]");
        assertThat(source(target)).isEqualTo(base);
        assertThat(chain(target)).isEqualTo(CHAIN);
        heldToItsGroup(target, mark);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sdb", "vdb"})
    void copyWithPivot(String target) {
        String copy =
                TestHost.imageDir().resolve(dom + "-" + target + "-copy.qcow2").toString();
        long mark = linux.mark();
        NativeHost.Result copied = ok(NativeHost.virtThrottle(
                "blockcopy", dom, target, "--dest", copy, "--format", "qcow2", "--transient-job", "--pivot"));
        assertThat(copied.out()).isEqualTo("\nSuccessfully pivoted\n");
        assertThat(source(target)).isEqualTo(copy);
        assertThat(chain(target)).isEqualTo(CHAIN);
        heldToItsGroup(target, mark);
    }

    /** Last: the guest tells its disks apart by size. */
    @Test
    @Order(Integer.MAX_VALUE)
    void aResizeReachesTheGuestAndReconcileRepairsOneDoneByPlainVirsh() {
        long mark = linux.mark();
        NativeHost.Result resized = ok(NativeHost.virtThrottle("blockresize", dom, "vdb", "64M"));
        assertThat(resized.out()).isEqualTo("Block device 'vdb' is resized\n");
        assertThat(deviceSize("vdb")).isEqualTo(64L << 20);
        assertThat(linux.readSeconds(64, mark))
                .as("the guest reads the disk at its new size")
                .isPositive();

        NativeHost.run("virsh", "-c", "qemu:///system", "blockresize", dom, "sdb", "60M");
        assertThat(deviceSize("sdb"))
                .as("libvirt 11.3 leaves its own filter at the old size")
                .isEqualTo(48L << 20);
        NativeHost.Result reconcile = ok(NativeHost.virtThrottle("reconcile", dom));
        assertThat(reconcile.out()).contains(dom + ": passed the new size of sdb's image up to the guest");
        assertThat(deviceSize("sdb")).isEqualTo(60L << 20);
    }

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
