package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.virtthrottle.testing.NativeHost;
import org.virtthrottle.testing.TestGuest;

/**
 * A tier member on libvirt 11.3 + QEMU 10 (libvirt's own throttle groups, in the Debian 13 root):
 * membership in our metadata, the member's share through libvirt's API (its live XML says it, QEMU
 * has it), watch --all giving the lone member the whole budget, the leave giving its own limits back.
 */
@Tag("integration")
class NativeTierIT {
    private static final long OWN_BYTES = 10L * 1024 * 1024;

    @Test
    void aMemberOnANativeHostGetsItsShareThroughLibvirt() throws Exception {
        String name = "vt-it-nt" + System.nanoTime() % 100000;
        // below /tmp, which the root sees at the same path; made by virt-throttle inside the root
        Path dir = Files.createTempDirectory("vt-native-tiers");
        Map<String, String> env =
                Map.of("VIRT_THROTTLE_TIERS", dir.resolve("tiers.yaml").toString());
        try (TestGuest guest = TestGuest.startXmlOn(
                NativeHost.uri(),
                name,
                "<domain type='qemu'><name>" + name + "</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>"
                        + "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices>"
                        + "<memballoon model='none'/></devices></domain>")) {
            ok(env, "throttletierset gold --total-iops-sec 3000");
            ok(env, "throttlegroupset " + name + " t --total-bytes-sec 10M --live");
            ok(env, "throttlegroupset " + name + " t --tier gold --live");

            JsonNode joined = guest.qomLimits("throttle-t");
            assertThat(joined.get("iops-total").asLong()).as("QEMU: the floor").isEqualTo(10);
            assertThat(joined.get("bps-total").asLong())
                    .as("its other limit stays")
                    .isEqualTo(OWN_BYTES);
            String live = guest.liveXml();
            assertThat(groupOf(live)).contains("<total_iops_sec>10</total_iops_sec>");
            assertThat(live)
                    .as("membership and own limits in our metadata, the group not duplicated there")
                    .containsPattern("member group=.t. tier=.gold.")
                    .containsPattern("<(\\w+:)?own>\\s*<(\\w+:)?total_bytes_sec>10485760<");
            assertThat(live).doesNotContainPattern("<\\w+:throttlegroups");

            NativeHost.Result exported = NativeHost.virtThrottle(env, "export", name);
            assertThat(exported.exitCode()).as(exported.toString()).isZero();
            assertThat(exported.out())
                    .as("the member's own limits, not its share")
                    .contains("      t:\n        tier: gold\n        total_bytes_sec: 10485760\n");
            Path file = dir.resolve("exported.yaml");
            Files.writeString(file, exported.out());
            NativeHost.Result applied = NativeHost.virtThrottle(env, "--json", "apply", "-f", file.toString());
            assertThat(applied.exitCode()).as(applied.toString()).isZero();
            assertThat(applied.out()).as("applying the export changes nothing").contains("\"changed\" : false");
            assertThat(guest.qomLimits("throttle-t").get("iops-total").asLong()).isEqualTo(10);

            Path log = Files.createTempFile("vt-native-tier-watch", ".log");
            Process watch = NativeHost.start(env, log, "watch", "--all");
            long lone;
            try {
                lone = awaitIops(guest, 3000, 30_000);
            } finally {
                watch.destroy();
                assertThat(watch.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(lone)
                    .as("the lone member gets the whole budget\n" + Files.readString(log))
                    .isEqualTo(3000);
            assertThat(groupOf(guest.liveXml()))
                    .as("through libvirt: its live XML has the share")
                    .contains("<total_iops_sec>3000</total_iops_sec>");
            assertThat(Files.readString(log)).contains(name + ": tier shares: t total_iops_sec 10 -> ");

            NativeHost.Result reconcile = NativeHost.virtThrottle(env, "reconcile " + name);
            assertThat(reconcile.exitCode()).as(reconcile.toString()).isZero();
            assertThat(reconcile.out()).contains("throttle group t: the rates tier gold divides are the tier's to set");
            assertThat(guest.qomLimits("throttle-t").get("iops-total").asLong())
                    .as("reconcile leaves the share")
                    .isEqualTo(3000);

            ok(env, "throttlegroupset " + name + " t --tier '' --live");
            JsonNode left = guest.qomLimits("throttle-t");
            assertThat(left.get("iops-total").asLong())
                    .as("its own limits back")
                    .isZero();
            assertThat(left.get("bps-total").asLong()).isEqualTo(OWN_BYTES);
            assertThat(guest.liveXml()).doesNotContainPattern("member group=");
            assertThat(groupOf(guest.liveXml())).doesNotContain("total_iops_sec");
            assertThat(guest.isActive()).as("the guest still runs").isTrue();
        } finally {
            NativeHost.run("rm", "-rf", dir.toString());
        }
    }

    private static void ok(Map<String, String> env, String line) {
        NativeHost.Result r = NativeHost.virtThrottle(env, line);
        assertThat(r.exitCode()).as(line + "\n" + r).isZero();
    }

    /** libvirt's own {@code <throttlegroups>} element of the live XML. */
    private static String groupOf(String xml) {
        int start = xml.indexOf("<throttlegroups>");
        assertThat(start).as(xml).isNotNegative();
        return xml.substring(start, xml.indexOf("</throttlegroups>", start));
    }

    /** Polls QEMU (raw QMP) until the group's iops-total is {@code wanted}; the last value read. */
    private static long awaitIops(TestGuest guest, long wanted, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        long now = guest.qomLimits("throttle-t").get("iops-total").asLong();
        while (now != wanted && System.currentTimeMillis() < deadline) {
            Thread.sleep(250);
            now = guest.qomLimits("throttle-t").get("iops-total").asLong();
        }
        return now;
    }
}
