package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virtthrottle.testing.NativeHost;
import org.virtthrottle.testing.TestGuest;
import org.virtthrottle.testing.TestHost;

/** apply -f and export on libvirt 11.3 + QEMU 10 (Debian 13 root): groups through libvirt's own API, read back with raw QMP. */
@Tag("integration")
class NativeApplyIT {
    @TempDir
    Path dir;

    private String file(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text).toString();
    }

    @Test
    void groupsGoThroughLibvirtsApiASecondRunChangesNothingAndAChainChangeOfAnAttachedDiskIsRefused() throws Exception {
        String name = "vt-it-na" + System.nanoTime() % 100000;
        try (TestGuest guest = TestGuest.startXmlOn(
                NativeHost.uri(),
                name,
                "<domain type='qemu'><name>" + name + "</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>"
                        + "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices>"
                        + "<controller type='scsi' model='virtio-scsi'/><memballoon model='none'/></devices></domain>")) {
            String groups = "domains:\n  " + name
                    + ":\n    groups:\n      a: {total_bytes_sec: 10M}\n      b: {read_iops_sec: 100}\n";
            String both = file("both.yaml", groups);

            NativeHost.Result first = NativeHost.virtThrottle("apply", "-f", both);

            assertThat(first.exitCode()).as(first.toString()).isZero();
            assertThat(first.out())
                    .contains(name + ": live: created throttle group a", name + ": config: created throttle group b");
            assertThat(guest.qomLimits("throttle-a").path("bps-total").asLong()).isEqualTo(10_485_760L);
            assertThat(guest.qomLimits("throttle-b").path("iops-read").asLong()).isEqualTo(100);
            assertThat(guest.inactiveXml())
                    .contains("<group_name>a</group_name>")
                    .doesNotContain("virt-throttle.org");
            String liveXml = guest.liveXml();
            String configXml = guest.inactiveXml();

            NativeHost.Result again = NativeHost.virtThrottle("--json", "apply", "-f", both);
            NativeHost.Result export = NativeHost.virtThrottle("export", name);
            NativeHost.Result exported =
                    NativeHost.virtThrottle("apply", "-f", file("exported.yaml", export.out()), "--prune");

            assertThat(new com.fasterxml.jackson.databind.ObjectMapper()
                            .readTree(again.out())
                            .path("changed")
                            .isBoolean())
                    .as(again.toString())
                    .isTrue();
            assertThat(new com.fasterxml.jackson.databind.ObjectMapper()
                            .readTree(again.out())
                            .path("changed")
                            .asBoolean())
                    .as(again.toString())
                    .isFalse();
            assertThat(exported.out()).as(export + "\n" + exported).isEqualTo(name + ": unchanged\n\n");
            assertThat(guest.liveXml()).isEqualTo(liveXml);
            assertThat(guest.inactiveXml()).isEqualTo(configXml);

            NativeHost.Result pruned = NativeHost.virtThrottle(
                    "apply", "-f", file("a.yaml", groups.replace("      b: {read_iops_sec: 100}\n", "")), "--prune");
            assertThat(pruned.exitCode()).as(pruned.toString()).isZero();
            assertThat(guest.throttleGroupObjects()).containsExactly("throttle-a");
            assertThat(guest.inactiveXml()).doesNotContain("<group_name>b</group_name>");

            String img =
                    TestHost.createImage(name + "-sdb.qcow2", "qcow2", "16M").toString();
            NativeHost.Result attach = NativeHost.virtThrottle(
                    "attach-disk",
                    name,
                    img,
                    "sdb",
                    "--targetbus",
                    "scsi",
                    "--subdriver",
                    "qcow2",
                    "--throttle-groups",
                    "a",
                    "--live");
            assertThat(attach.exitCode()).as(attach.toString()).isZero();
            String chained = file("chained.yaml", groups + "    disks:\n      sdb: [b]\n");
            NativeHost.Result refused = NativeHost.virtThrottle("apply", "-f", chained, "--live");

            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.err())
                    .isEqualTo(
                            "error: " + chained + " line 7: domains." + name + ".disks.sdb: libvirt 11.2+ cannot change"
                                    + " the throttle filters of an attached disk (sdb, live): use throttlefilterset --force-reattach\n");
            assertThat(guest.throttleGroupObjects()).as("nothing changed").containsExactly("throttle-a");
            assertThat(guest.chainUnder(guest.aliasOf("sdb"))).containsExactly("throttle(throttle-a)", "qcow2", "file");
            assertThat(guest.isActive()).isTrue();
        }
    }
}
