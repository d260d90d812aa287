package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.virtthrottle.testing.NativeHost;
import org.virtthrottle.testing.Promtool;
import org.virtthrottle.testing.TestGuest;
import org.virtthrottle.testing.TestHost;

/**
 * throttlestat on libvirt 11.3 (Debian 13 root, QEMU 10), where libvirt keeps the groups and chains
 * in its own XML: the same groups, disks and limits as on libvirt 9.0, read with libvirt calls only.
 */
@Tag("integration")
class ThrottleStatNativeIT {
    @Test
    void groupsAndChainsComeFromLibvirtsOwnXmlWithoutQmp() throws Exception {
        String name = "vt-it-stat-" + System.nanoTime() % 100000;
        try (TestGuest guest = TestGuest.startXmlOn(
                NativeHost.uri(),
                name,
                "<domain type='qemu'><name>" + name + "</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>"
                        + "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices>"
                        + "<controller type='scsi' model='virtio-scsi'/><memballoon model='none'/></devices></domain>")) {
            String image =
                    TestHost.createImage(name + "-sdb.qcow2", "qcow2", "16M").toString();
            for (String[] args : new String[][] {
                {"throttlegroupset", name, "a", "--total-iops-sec", "100", "--live"},
                {"throttlegroupset", name, "b", "--read-bytes-sec", "10M", "--live"},
                {
                    "attach-disk",
                    name,
                    image,
                    "sdb",
                    "--targetbus",
                    "scsi",
                    "--subdriver",
                    "qcow2",
                    "--throttle-groups",
                    "a,b",
                    "--live"
                }
            }) {
                NativeHost.Result r = NativeHost.virtThrottle(args);
                assertThat(r.exitCode()).as(r.toString()).isZero();
            }

            NativeHost.Result stat = NativeHost.virtThrottle("--debug", "--json", "throttlestat", name, "--disks");
            assertThat(stat.exitCode()).as(stat.toString()).isZero();
            JsonNode sample = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(stat.out())
                    .path("domains")
                    .get(0);
            assertThat(sample.path("groups").toString())
                    .as(stat.toString())
                    .isEqualTo("[{\"group\":\"a\",\"disks\":[\"sdb\"],"
                            + "\"limits\":[{\"limit\":\"total_iops_sec\",\"value\":100,\"rate\":0.0,\"percent\":0.0}]},"
                            + "{\"group\":\"b\",\"disks\":[\"sdb\"],\"limits\":[{\"limit\":\"read_bytes_sec\",\"value\":10485760,"
                            + "\"rate\":0.0,\"percent\":0.0}]}]");
            assertThat(stat.err())
                    .as("libvirt calls only")
                    .contains("libvirt: virDomainListGetStats")
                    .doesNotContain("virDomainQemuMonitorCommand")
                    .doesNotContain("qmp> ");

            NativeHost.Result prometheus = NativeHost.virtThrottle("throttlestat", "--prometheus", name);
            assertThat(prometheus.exitCode()).as(prometheus.toString()).isZero();
            assertThat(prometheus.out())
                    .contains(
                            "virt_throttle_disk_group_info{domain=\"" + name
                                    + "\",disk=\"sdb\",group=\"b\",position=\"1\"} 1\n",
                            "virt_throttle_group_limit{domain=\"" + name
                                    + "\",group=\"b\",limit=\"read_bytes_sec\"} 10485760\n");
            Promtool.checkMetrics(prometheus.out());
            assertThat(guest.isActive()).isTrue();
        }
    }
}
