package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.virtthrottle.testing.TestGuest;
import org.virtthrottle.testing.TestGuest.Disk;
import org.virtthrottle.testing.TestHost;
import org.virtthrottle.testing.WatchProcess;

/** `watch` running in the background keeps a guest's throttling across restarts, restores and libvirtd restarts. */
@Tag("integration")
class WatchIT {
    private static final List<String> CHAIN =
            List.of("throttle(throttle-tenant)", "throttle(throttle-perdisk)", "qcow2", "file");

    private static boolean restored(TestGuest guest) {
        try {
            return guest.isActive()
                    && guest.chainUnder(guest.aliasOf("sda")).equals(CHAIN)
                    && guest.qomLimits("throttle-perdisk") != null
                    && guest.qomLimits("throttle-perdisk").get("iops-total").asLong() == 300;
        } catch (AssertionError e) {
            return false;
        }
    }

    @Test
    void restartsRestoresAndALibvirtdRestartLeaveTheThrottlingAsConfigured() throws Exception {
        try (TestGuest guest = TestGuest.start(new Disk("vda", "virtio", "qcow2"), new Disk("sda", "scsi", "qcow2"))) {
            String dom = guest.name();
            assertThat(CliRunner.launch(
                                    "",
                                    "throttlegroupset " + dom + " perdisk --total-iops-sec 300 --live --config; "
                                            + "throttlegroupset " + dom
                                            + " tenant --total-bytes-sec 50M --live --config; "
                                            + "throttlefilterset " + dom + " sda perdisk,tenant --live --config")
                            .exitCode())
                    .isZero();
            try (WatchProcess watch = WatchProcess.start("-c", TestHost.URI, "watch", dom)) {
                watch.await("initial check", 30, () -> watch.log().contains(dom + ": initial check: in sync"));

                guest.destroyDomain();
                guest.startDomain();
                // libvirt reports a boot as STARTED (booted) and RESUMED (unpaused), in either order; watch acts
                // on the first, and finds the second in sync
                watch.await(
                        "graph restored after a restart",
                        5,
                        () -> watch.log().contains(dom + ": started (booted)") && restored(guest));
                assertThat(watch.log())
                        .containsPattern(Pattern.quote(dom) + ": (started \\(booted\\)|resumed \\(unpaused\\)): "
                                + "created throttle group perdisk");

                Path saved = TestHost.imageDir().resolve(dom + ".save");
                guest.virsh("save", dom, saved.toString());
                guest.virsh("restore", saved.toString());
                watch.await(
                        "graph restored after save + restore",
                        5,
                        () -> watch.log().contains(dom + ": started (restored)") && restored(guest));
                assertThat(watch.log()).contains(dom + ": started (restored)");

                TestHost.restartLibvirtd();
                watch.await("watch reconnected", 40, () -> watch.log().contains("reconnected to " + TestHost.URI));
                guest.destroyDomain();
                guest.startDomain();
                watch.await("graph restored after libvirtd restart and guest restart", 5, () -> restored(guest));
                watch.stop();
                assertThat(watch.log()).endsWith("watch: stopped\n");
            }
        }
    }
}
