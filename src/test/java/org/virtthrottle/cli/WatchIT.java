package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.virtthrottle.testing.TestGuest;
import org.virtthrottle.testing.TestGuest.Disk;
import org.virtthrottle.testing.TestHost;
import org.virtthrottle.testing.TestLauncher;

/** `watch` running in the background keeps a guest's throttling across restarts, restores and libvirtd restarts. */
@Tag("integration")
class WatchIT {
    private static final List<String> CHAIN = List.of("throttle(throttle-tenant)", "throttle(throttle-perdisk)", "qcow2", "file");

    private static String log(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void await(String what, int seconds, java.util.function.BooleanSupplier condition, Path logFile) {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(what + " not within " + seconds + " s; watch log:\n" + log(logFile));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static boolean restored(TestGuest guest) {
        try {
            return guest.isActive() && guest.chainUnder(guest.aliasOf("sda")).equals(CHAIN)
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
            assertThat(CliRunner.launch("", "throttlegroupset " + dom + " perdisk --total-iops-sec 300 --live --config; "
                    + "throttlegroupset " + dom + " tenant --total-bytes-sec 50M --live --config; "
                    + "throttlefilterset " + dom + " sda perdisk,tenant --live --config").exitCode()).isZero();
            Path logFile = Files.createTempFile("vt-watch", ".log");
            Process watch = new ProcessBuilder(TestLauncher.script().toString(), "-c", TestHost.URI, "watch", dom)
                    .redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
            try {
                await("initial check", 30, () -> log(logFile).contains(dom + ": initial check: in sync"), logFile);

                guest.destroyDomain();
                guest.startDomain();
                await("graph restored after a restart", 5, () -> restored(guest), logFile);
                assertThat(log(logFile)).contains(dom + ": started (booted): created throttle group perdisk");

                Path saved = TestHost.imageDir().resolve(dom + ".save");
                guest.virsh("save", dom, saved.toString());
                guest.virsh("restore", saved.toString());
                await("graph restored after save + restore", 5, () -> restored(guest), logFile);
                assertThat(log(logFile)).contains(dom + ": started (restored)");

                TestHost.restartLibvirtd();
                await("watch reconnected", 40, () -> log(logFile).contains("reconnected to " + TestHost.URI), logFile);
                guest.destroyDomain();
                guest.startDomain();
                await("graph restored after libvirtd restart and guest restart", 5, () -> restored(guest), logFile);
            } finally {
                watch.destroy(); // SIGTERM
                assertThat(watch.waitFor(20, TimeUnit.SECONDS)).as("watch stops on SIGTERM").isTrue();
            }
            assertThat(log(logFile)).endsWith("watch: stopped\n");
        }
    }
}
