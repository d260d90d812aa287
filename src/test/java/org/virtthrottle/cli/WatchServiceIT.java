package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.virtthrottle.testing.TestGuest;
import org.virtthrottle.testing.TestGuest.Disk;
import org.virtthrottle.testing.TestHost;
import org.virtthrottle.testing.WatchProcess;

/**
 * watch as a service that cannot misbehave: --dry-run changes nothing, UUIDs and ids select domains,
 * it runs on drivers without keepalive, stops within a second on SIGTERM, and leaks neither libvirt
 * connections nor threads across reconnects.
 */
@Tag("integration")
class WatchServiceIT {
    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static long count(String text, String word) {
        return text.lines().filter(l -> l.contains(word)).count();
    }

    @Test
    void dryRunReportsAndChangesNothingAndUuidsAndIdsSelectDomains() throws Exception {
        try (TestGuest guest = TestGuest.define(new Disk("sda", "scsi", "qcow2"))) {
            guest.setThrottleMetadata(
                    "<throttle><throttlegroups><throttlegroup><total_iops_sec>7</total_iops_sec>"
                            + "<group_name>g</group_name></throttlegroup></throttlegroups><devices><disk><target dev='sda'/>"
                            + "<throttlefilters><throttlefilter group='g'/></throttlefilters></disk></devices></throttle>",
                    false);
            guest.startDomain();
            String dom = guest.name();
            String uuid = guest.virsh("domuuid", dom).strip();
            String id = guest.virsh("domid", dom).strip();

            try (WatchProcess dry = WatchProcess.start("-c", TestHost.URI, "--dry-run", "watch", uuid)) {
                dry.await("the dry run's initial check", 30, () -> dry.log().contains(dom + ": initial check"));
                assertThat(dry.log())
                        .contains(
                                dom
                                        + ": initial check: would: created throttle group g; set the throttle filters of sda to g");
                sleep(1000);
                assertThat(guest.throttleGroupObjects()).as("nothing changed").isEmpty();
                assertThat(guest.chainUnder(guest.aliasOf("sda"))).containsExactly("qcow2", "file");
                dry.stop();
            }
            try (WatchProcess byId = WatchProcess.start("-c", TestHost.URI, "watch", id)) {
                byId.await("the domain selected by its id reconciled", 30, () -> byId.log()
                        .contains(dom + ": initial check"));
                assertThat(byId.log()).contains(dom + ": initial check: created throttle group g");
                assertThat(guest.throttleGroupObjects()).containsExactly("throttle-g");
                assertThat(guest.chainUnder(guest.aliasOf("sda")))
                        .containsExactly("throttle(throttle-g)", "qcow2", "file");
                byId.stop();
            }
        }
    }

    @Test
    void aDriverWithoutKeepaliveIsWatchedAndSigtermEndsItWithinASecond() throws Exception {
        try (WatchProcess watch = WatchProcess.start("-c", "test:///default", "watch", "--all")) {
            watch.await("watching test:///default", 30, () -> watch.log().contains("watching test:///default"));
            sleep(3000);
            assertThat(watch.log()).doesNotContain("cannot connect").doesNotContain("reconnect");
            long millis = watch.stop();
            assertThat(millis).as("SIGTERM to exit").isLessThan(1000);
            assertThat(watch.log()).endsWith("watch: stopped\n");
        }
    }

    @Test
    void twentyForcedReconnectsLeakNeitherConnectionsNorThreads() throws Exception {
        try (TestGuest guest = TestGuest.start();
                WatchProcess watch = WatchProcess.start("-c", TestHost.URI, "watch", guest.name())) {
            watch.await("the initial check", 30, () -> watch.log().contains(": initial check"));
            long pid = watch.pid();
            int threadsAtStart = threads(pid);
            int filesAtStart = openFiles(pid);
            for (int round = 1; round <= 20; round++) {
                List<String> clients = clientsOf(pid);
                assertThat(clients)
                        .as("libvirt connections of watch, round " + round)
                        .hasSize(1);
                TestHost.run(List.of("virt-admin", "client-disconnect", "libvirtd", clients.get(0)));
                int expected = round;
                watch.await(
                        "reconnect " + round,
                        30,
                        () -> count(watch.log(), "reconnected to") == expected
                                && count(watch.log(), ": after reconnect") == expected);
            }
            assertThat(clientsOf(pid))
                    .as("libvirt connections after 20 reconnects")
                    .hasSize(1);
            assertThat(threads(pid)).as("threads after 20 reconnects").isLessThanOrEqualTo(threadsAtStart + 2);
            assertThat(openFiles(pid))
                    .as("open files (sockets) after 20 reconnects")
                    .isLessThanOrEqualTo(filesAtStart + 2);
            watch.stop();
        }
    }

    /**
     * Found by SoakIT: libvirt-java leaves each lifecycle event's domain to the finalizer, and each one keeps
     * its connection, and so the socket, open after a reconnect until a GC happens to run; the watch held
     * one more file per libvirtd restart. Read without any GC: the files stay flat.
     */
    @Test
    void lifecycleEventsKeepNoOldConnectionOpenAfterReconnects() throws Exception {
        try (TestGuest guest = TestGuest.start();
                WatchProcess watch = WatchProcess.start("-c", TestHost.URI, "watch", guest.name())) {
            watch.await("the initial check", 30, () -> watch.log().contains(": initial check"));
            long pid = watch.pid();
            int filesAtStart = openFiles(pid);
            for (int round = 1; round <= 10; round++) {
                long started = count(watch.log(), guest.name() + ": started (booted)");
                guest.destroyDomain();
                guest.startDomain();
                watch.await(
                        "the restart seen",
                        30,
                        () -> count(watch.log(), guest.name() + ": started (booted)") > started);
                List<String> clients = clientsOf(pid);
                assertThat(clients)
                        .as("libvirt connections of watch, round " + round)
                        .hasSize(1);
                TestHost.run(List.of("virt-admin", "client-disconnect", "libvirtd", clients.get(0)));
                int expected = round;
                watch.await("reconnect " + round, 30, () -> count(watch.log(), ": after reconnect") == expected);
            }
            assertThat(openFiles(pid))
                    .as("open files after 10 restarts and reconnects, no GC asked for")
                    .isLessThanOrEqualTo(filesAtStart + 2);
            watch.stop();
        }
    }

    private static int openFiles(long pid) {
        String[] fds = new File("/proc/" + pid + "/fd").list();
        return fds == null ? 0 : fds.length;
    }

    private static int threads(long pid) {
        String[] tasks = new File("/proc/" + pid + "/task").list();
        return tasks == null ? 0 : tasks.length;
    }

    /** libvirtd's client ids of the connections that process {@code pid} has open. */
    private static List<String> clientsOf(long pid) {
        List<String> ids = TestHost.run(List.of("virt-admin", "client-list", "libvirtd"))
                .lines()
                .skip(2)
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .map(l -> l.split("\\s+")[0])
                .toList();
        return ids.stream()
                .filter(id -> {
                    try {
                        return TestHost.run(List.of("virt-admin", "client-info", "libvirtd", id))
                                .lines()
                                .anyMatch(l -> l.matches("\\s*unix_process_id\\s*:\\s*" + pid + "\\s*"));
                    } catch (AssertionError gone) {
                        return false;
                    }
                })
                .toList();
    }
}
