package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.virtthrottle.testing.TestGuest;
import org.virtthrottle.testing.TestGuest.Disk;
import org.virtthrottle.testing.TestHost;
import org.virtthrottle.testing.WatchProcess;

/**
 * A live migration from this host's libvirt 9.0 + QEMU 7.2 to a second libvirt 9.0 daemon (QEMU 10.0,
 * the bookworm-qemu10 test host): watch on the destination applies what was live on the source —
 * the live record the domain's live XML carries — not the persistent config. libvirt 9.0 holds the
 * domain's job from the start of the incoming migration until the guest runs, so the passthrough
 * cannot act earlier: watch, woken by the start of the migration, acts the moment libvirt lets go.
 */
@Tag("integration")
class MigrationIT {
    private static void ok(CliRunner.Result r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
    }

    @Test
    void aGuestMigratedInGetsWhatWasLiveOnTheSourceNotTheConfig() {
        String destination = TestHost.rootUri("bookworm-qemu10");
        try (TestGuest guest = TestGuest.start(new Disk("vda", "virtio", "qcow2"), new Disk("sda", "scsi", "qcow2"))) {
            String dom = guest.name();
            ok(CliRunner.launch(
                    "",
                    "throttlegroupset " + dom + " cfgonly --total-iops-sec 9 --config; "
                            + "throttlefilterset " + dom + " vda cfgonly --config; "
                            + "throttlegroupset " + dom + " liveonly --total-iops-sec 70 --live; "
                            + "throttlefilterset " + dom + " sda liveonly --live"));
            TestGuest moved = TestGuest.existingOn(destination, dom);
            try (WatchProcess watch = WatchProcess.start("-c", destination, "watch", "--all")) {
                watch.await("watch on the destination", 30, () -> watch.log().contains("watching " + destination));
                int port = 49200 + (int) (ProcessHandle.current().pid() % 700);
                guest.virsh(
                        "migrate", "--live", "--unsafe", dom, destination, "--migrateuri", "tcp://127.0.0.1:" + port);
                watch.await(
                        "the migrated guest reconciled", 60, () -> watch.log().contains(dom + ": started (migrated)"));

                assertThat(watch.log()).contains(dom + ": started (migrated): created throttle group liveonly");
                assertThat(moved.throttleGroupObjects()).containsExactly("throttle-liveonly");
                assertThat(moved.qomLimits("throttle-liveonly")
                                .get("iops-total")
                                .asLong())
                        .isEqualTo(70);
                assertThat(moved.chainUnder(moved.aliasOf("sda")))
                        .containsExactly("throttle(throttle-liveonly)", "qcow2", "file");
                assertThat(moved.chainUnder(moved.aliasOf("vda")))
                        .as("the config applies at the next boot only")
                        .containsExactly("qcow2", "file");
                assertThat(moved.qmp("{\"execute\":\"query-status\"}")
                                .path("status")
                                .asText())
                        .isEqualTo("running");
                watch.stop();
            } finally {
                // transient on the destination: it goes when it stops; the source's definition goes with guest
                TestHost.run(List.of(
                        "sh", "-c", "virsh -c '" + destination + "' destroy " + dom + " >/dev/null 2>&1 || true"));
            }
        }
    }

    /**
     * migrate --suspend: the guest arrives paused with its disks inactive until the resume (QEMU
     * refuses an active filter over an inactive node), so watch makes the live record live at the
     * resume, before the guest runs a single instruction on the destination.
     */
    @Test
    void aGuestMigratedInPausedIsThrottledWhenResumed() {
        String destination = TestHost.rootUri("bookworm-qemu10");
        try (TestGuest guest = TestGuest.start(new Disk("vda", "virtio", "qcow2"))) {
            String dom = guest.name();
            ok(CliRunner.launch(
                    "",
                    "throttlegroupset " + dom + " liveonly --total-iops-sec 70 --live; " + "throttlefilterset " + dom
                            + " vda liveonly --live"));
            TestGuest moved = TestGuest.existingOn(destination, dom);
            try (WatchProcess watch = WatchProcess.start("-c", destination, "watch", "--all")) {
                watch.await("watch on the destination", 30, () -> watch.log().contains("watching " + destination));
                int port = 49900 + (int) (ProcessHandle.current().pid() % 90);
                guest.virsh(
                        "migrate",
                        "--live",
                        "--unsafe",
                        "--suspend",
                        dom,
                        destination,
                        "--migrateuri",
                        "tcp://127.0.0.1:" + port);
                watch.await("watch woken by the incoming guest", 60, () -> watch.log()
                        .contains(dom + ": started (migrated)"));
                assertThat(moved.qmp("{\"execute\":\"query-status\"}")
                                .path("status")
                                .asText())
                        .isEqualTo("paused");

                TestHost.run(List.of("virsh", "-c", destination, "resume", dom));
                watch.await(
                        "the resumed guest reconciled", 60, () -> watch.log().contains(dom + ": resumed (unpaused)"));

                assertThat(watch.log()).contains(dom + ": resumed (unpaused): created throttle group liveonly");
                assertThat(moved.throttleGroupObjects()).containsExactly("throttle-liveonly");
                assertThat(moved.chainUnder(moved.aliasOf("vda")))
                        .containsExactly("throttle(throttle-liveonly)", "qcow2", "file");
                assertThat(moved.qmp("{\"execute\":\"query-status\"}")
                                .path("status")
                                .asText())
                        .isEqualTo("running");
                watch.stop();
            } finally {
                TestHost.run(List.of(
                        "sh", "-c", "virsh -c '" + destination + "' destroy " + dom + " >/dev/null 2>&1 || true"));
            }
        }
    }
}
