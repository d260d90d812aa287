package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.virtthrottle.testing.NativeHost;
import org.virtthrottle.testing.ParkedProcess;
import org.virtthrottle.testing.TestGuest;
import org.virtthrottle.testing.TestGuest.Disk;
import org.virtthrottle.testing.TestHost;

/**
 * Crash points of migrate-config on libvirt 11.3 (the Debian 13 root): a running guest whose
 * persistent config still holds virt-throttle's metadata (two groups, a chain on a plain disk and on a
 * disk in an IOThread) is migrated by a process parked after step k and killed there, for every k;
 * then reconcile. The persistent XML must be exactly the one before (metadata) or after (libvirt's
 * own elements, no metadata), the live XML and QEMU's graph untouched, the guest running, a second
 * reconcile the same, and migrate-config run again must finish the job.
 */
@Tag("integration")
class NativeKillAtEveryStepIT {
    private static final String METADATA = "<throttle><throttlegroups>"
            + "<throttlegroup><total_iops_sec>300</total_iops_sec><group_name>g</group_name></throttlegroup>"
            + "<throttlegroup><read_bytes_sec>20971520</read_bytes_sec><group_name>h</group_name></throttlegroup>"
            + "</throttlegroups><devices>"
            + "<disk><target dev='vda'/><throttlefilters><throttlefilter group='g'/></throttlefilters></disk>"
            + "<disk><target dev='vdb'/><throttlefilters><throttlefilter group='g'/><throttlefilter group='h'/>"
            + "</throttlefilters></disk></devices></throttle>";

    @Test
    void migrateConfig() throws Exception {
        long started = System.nanoTime();
        try (TestGuest guest = TestGuest.defineOn(
                NativeHost.uri(),
                "<iothreads>1</iothreads>",
                "",
                new Disk("vda", "virtio", "qcow2"),
                new Disk("vdb", "virtio", "qcow2", "iothread='1'", ""))) {
            String dom = guest.name();
            guest.setThrottleMetadata(METADATA, false);
            guest.startDomain();
            String original = guest.inactiveXml();
            String before = original;
            String live = guest.liveXml();
            String nodes = nodes(guest);

            NativeHost.Result migrated = NativeHost.virtThrottle("migrate-config", dom);
            assertThat(migrated.exitCode()).as(migrated.toString()).isZero();
            String after = guest.inactiveXml();
            assertThat(after).isNotEqualTo(before).contains("<throttlegroups>").doesNotContain("virt-throttle.org");
            undo(original);
            assertThat(guest.inactiveXml())
                    .as("the undo gives the state before")
                    .isEqualTo(before);

            List<String> failures = new ArrayList<>();
            int tried = 0;
            int whole = 0;
            for (int k = 1; k <= 20; k++) {
                try (ParkedProcess process = ParkedProcess.start(
                        k, 120, options -> NativeHost.parkingCommand(options, "migrate-config", dom))) {
                    if (!process.isParked()) {
                        assertThat(process.exitCode()).as(process.output()).isZero();
                        assertThat(guest.inactiveXml()).isEqualTo(after);
                        break;
                    }
                    tried++;
                    String step = process.parkedLine();
                    process.kill();
                    NativeHost.Result repair = NativeHost.virtThrottle("reconcile", dom);
                    String persistent = guest.inactiveXml();
                    NativeHost.Result again = NativeHost.virtThrottle("reconcile", dom);
                    String problem = null;
                    if (repair.exitCode() != 0) {
                        problem = "reconcile failed: " + repair;
                    } else if (!guest.isActive()) {
                        problem = "guest not running";
                    } else if (!persistent.equals(before) && !persistent.equals(after)) {
                        problem = "the persistent XML is neither before nor after:\n" + persistent;
                    } else if (!guest.liveXml().equals(live) || !nodes(guest).equals(nodes)) {
                        problem = "the live side changed";
                    } else if (!again.out().equals(repair.out())
                            || !guest.inactiveXml().equals(persistent)) {
                        problem = "a second reconcile differs: " + again;
                    } else {
                        NativeHost.Result finish = NativeHost.virtThrottle("migrate-config", dom);
                        if (finish.exitCode() != 0 || !guest.inactiveXml().equals(after)) {
                            problem = "migrate-config run again did not finish it: " + finish;
                        }
                    }
                    if (problem == null) {
                        whole++;
                    } else {
                        failures.add(step + ": " + problem);
                    }
                }
                undo(original);
            }
            System.out.printf(
                    "crash points | migrate-config (libvirt 11.3) | plain and IOThread disk | %d tried | %d whole"
                            + " state before or after | %d each side before or after | %d s%n",
                    tried, whole, whole, (System.nanoTime() - started) / 1_000_000_000L);
            assertThat(failures).as("migrate-config").isEmpty();
            assertThat(tried).isPositive();
        }
    }

    /** Every block node QEMU has, by name and driver. */
    private static String nodes(TestGuest guest) {
        List<String> nodes = new ArrayList<>();
        guest.qmp("{\"execute\":\"query-named-block-nodes\",\"arguments\":{\"flat\":true}}")
                .forEach(n -> nodes.add(
                        n.path("node-name").asText() + ":" + n.path("drv").asText()));
        nodes.sort(null);
        return nodes.toString();
    }

    private static void undo(String inactiveXml) {
        try {
            TestHost.connect(NativeHost.uri()).domainDefineXML(inactiveXml);
        } catch (org.libvirt.LibvirtException e) {
            throw new AssertionError(e);
        }
    }
}
