package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.virtthrottle.testing.LinuxGuest;
import org.virtthrottle.testing.TestGuest;
import org.virtthrottle.testing.TestHost;
import org.virtthrottle.testing.TierGuests;
import org.virtthrottle.testing.WatchProcess;

/**
 * Issue 26's "a member migrated out → its share returns": two real Linux guests reading their disk back
 * to back, their groups t members of tier gold, {@code watch --all} dividing its budget; one of them is
 * moved by {@code migrate --live --copy-storage-all} to the bookworm-qemu10 test host (libvirt 9.0 +
 * QEMU 10.0), and the one left gets the whole budget within seconds. The moved guest runs there behind
 * its group, its membership in its live record.
 *
 * <p>The migrated guest's data disk lives below /var/lib/libvirt/images, which the test host's root does
 * not share with this host (a storage copy onto the very file it reads would be no copy): its image
 * there is made at the same path in the root. Its kernel, initrd and console file (below /tmp) are
 * bound into the root by the test-host script, at the same paths.
 */
@Tag("integration")
class TierMigrationIT {
    private static final String IMAGES = "/var/lib/libvirt/images";
    private static final String TEST_HOST = "bookworm-qemu10";
    private static final int WINDOW_SECONDS = 6;

    @Test
    void aMemberMigratedOutGivesItsShareToTheOneLeft() throws Exception {
        Path tiers = Files.createTempDirectory("vt-tiers").resolve("tiers.yaml");
        String destination = TestHost.rootUri(TEST_HOST);
        Path root = TestHost.root(TEST_HOST);
        String tag = UUID.randomUUID().toString().substring(0, 8);
        Path imageA = Path.of(IMAGES, "vt-it-" + tag + "-a.qcow2");
        Path imageThere = Path.of(root + imageA.toString());
        Path imageB = TestHost.createImage("vt-tiermigr-" + tag + "-b.qcow2", "qcow2", "48M");
        for (Path image : List.of(imageA, imageThere)) {
            TestHost.run(List.of("qemu-img", "create", "-q", "-f", "qcow2", image.toString(), "48M"));
        }
        List<LinuxGuest> both = new ArrayList<>();
        ExecutorService boot = Executors.newFixedThreadPool(2);
        try {
            Future<LinuxGuest> a = boot.submit(() -> TierGuests.busyGuest(TestHost.URI, imageA));
            Future<LinuxGuest> b = boot.submit(() -> TierGuests.busyGuest(TestHost.URI, imageB));
            try {
                both.add(a.get());
            } finally {
                both.add(b.get());
            }
            withTwoMembers(tiers, destination, both.get(0), both.get(1));
        } finally {
            boot.shutdown();
            AssertionError leftOver = null;
            for (LinuxGuest g : both) { // both removed here, even when the first cannot be
                try {
                    g.close();
                } catch (AssertionError e) {
                    leftOver = e;
                }
            }
            for (Path image : List.of(imageA, imageThere, imageB)) {
                Files.deleteIfExists(image);
            }
            if (leftOver != null) {
                throw leftOver;
            }
        }
    }

    private static void withTwoMembers(Path tiers, String destination, LinuxGuest a, LinuxGuest b) throws Exception {
        for (LinuxGuest g : List.of(a, b)) {
            ok(cli(tiers, "throttlegroupset " + g.name() + " t --total-iops-sec 100000 --live"));
            ok(cli(tiers, "throttlefilterset " + g.name() + " sda t --live"));
        }
        // their own demand, both at once on this host: the budget is well below it, so each is backlogged
        double[] free = TierGuests.rates(List.of(a, b), WINDOW_SECONDS);
        // half the slower one's free rate: both busy are held at a quarter each, and B alone at the budget
        // well below what it can read (near its own free rate, a TCG guest reaches ~87 % of its limit)
        long budget = Math.round(Math.min(free[0], free[1]) * 0.5);
        System.out.printf(
                "TierMigrationIT: unthrottled read rates %.0f %.0f IOPS; budget %d IOPS; load %s%n",
                free[0], free[1], budget, loadAverage());
        assertThat(budget)
                .as("the guests must read fast enough for a tier to matter")
                .isGreaterThan(120);
        ok(cli(tiers, "throttletierset gold --total-iops-sec " + budget));
        for (LinuxGuest g : List.of(a, b)) {
            ok(cli(tiers, "throttlegroupset " + g.name() + " t --total-iops-sec 100000 --tier gold --live"));
        }

        try (WatchProcess watch = WatchProcess.start(
                Map.of("VIRT_THROTTLE_TIERS", tiers.toString()), "-c", TestHost.URI, "watch", "--all")) {
            watch.await("tier shares", 30, () -> watch.log().contains("tier shares:"));
            Thread.sleep(3000);
            double[] busy = TierGuests.rates(List.of(a, b), WINDOW_SECONDS);
            System.out.printf(
                    "TierMigrationIT: both busy: %.1f %.1f IOPS (sum %.1f, budget %d), limits %d %d%n",
                    busy[0], busy[1], busy[0] + busy[1], budget, limit(a.guest()), limit(b.guest()));
            for (double r : busy) {
                assertThat(r).as("each near budget / 2").isBetween(budget / 2.0 * 0.9, budget / 2.0 * 1.1);
            }
            assertThat(busy[0] + busy[1]).as("the tier's aggregate rate").isLessThanOrEqualTo(budget * 1.05);

            int logMark = watch.log().length();
            long started = System.nanoTime();
            CliRunner.Result migrated = CliRunner.runWithTiers(
                    tiers,
                    "migrate",
                    "--live",
                    "--copy-storage-all",
                    "--unsafe",
                    a.name(),
                    destination,
                    "--migrateuri",
                    "tcp://127.0.0.1:" + freePort());
            long returned = System.nanoTime();
            try {
                ok(migrated);
                System.out.printf(
                        "TierMigrationIT: migrate took %d ms; its notes: %s%n",
                        (returned - started) / 1_000_000, migrated.err().strip());
                assertThat(a.guest().isActive()).as("A no longer runs here").isFalse();
                TestGuest moved = TestGuest.existingOn(destination, a.name());
                assertThat(status(moved)).as("A runs on the destination").isEqualTo("running");
                // The destination's QEMU runs on this machine's two cores too, where A goes on reading (at its
                // floor: see below, but CPU all the same) and takes CPU from B, which a real destination would not.
                // Paused there (its group and record stay as they are), B's window measures B's share, not
                // that contention (a run with A left running: B at 82 % of the budget, its limit at 100 %).
                moved.virsh("suspend", a.name());

                // watch sees A gone from the running domains, takes it out of the tier, gives B the whole budget
                String gone = a.name() + ": tier members: none (no longer running here)";
                watch.await("A out of the tier", 5, () -> watch.log()
                        .substring(logMark)
                        .contains(gone));
                Pattern raised =
                        Pattern.compile(Pattern.quote(b.name()) + ": tier shares: t total_iops_sec (\\d+) -> (\\d+)");
                watch.await("B's share raised to the whole budget", 5, () -> limit(b.guest()) >= budget * 0.95);
                String since = watch.log().substring(logMark);
                System.out.printf("TierMigrationIT: watch's log since the migration started:%n%s", since);
                Matcher m = raised.matcher(since);
                long lastShare = -1;
                while (m.find()) {
                    lastShare = Long.parseLong(m.group(2));
                }
                assertThat(lastShare)
                        .as("watch raised B's share while A left the tier (log: " + since + ")")
                        .isBetween(Math.round(budget * 0.95), budget);
                assertThat(limit(b.guest())).as("B's limit in QEMU").isLessThanOrEqualTo(budget);

                long windowStart = returned + 3_000_000_000L;
                Thread.sleep(Math.max(0, (windowStart - System.nanoTime()) / 1_000_000));
                double alone = TierGuests.rates(List.of(b), WINDOW_SECONDS)[0];
                System.out.printf(
                        "TierMigrationIT: B alone after A left: %.1f IOPS (budget %d, %.1f %%), its limit %d; load %s%n",
                        alone, budget, alone * 100 / budget, limit(b.guest()), loadAverage());
                assertThat(alone)
                        .as("A's share returned to B")
                        .isGreaterThanOrEqualTo(budget * 0.95)
                        .isLessThanOrEqualTo(budget * 1.05);

                // made there at its floor (the tiers of the host migrate ran on), not at its own limits (100000)
                assertThat(moved.qomLimits("throttle-t").path("iops-total").asLong())
                        .as("group t in the destination's QEMU, at its floor")
                        .isEqualTo(10);
                assertThat(moved.chainUnder(moved.aliasOf("sda")))
                        .containsExactly("throttle(throttle-t)", "qcow2", "file");
                String xml = moved.liveXml();
                assertThat(xml)
                        .as("the membership travelled in A's live record")
                        .containsPattern("<vt:member group=[\"']t[\"'] tier=[\"']gold[\"']/>");
                System.out.printf(
                        "TierMigrationIT: A on the destination: group t %s; its record: %s%n",
                        moved.qomLimits("throttle-t"),
                        xml.substring(xml.indexOf("<vt:throttle"), xml.indexOf("</vt:throttle>") + 14));
                moved.virsh("resume", a.name());
                assertThat(status(moved)).as("A runs on the destination").isEqualTo("running");
                assertThat(b.guest().isActive()).as("B still runs").isTrue();
            } finally {
                TestHost.run(List.of(
                        "sh", "-c", "virsh -c '" + destination + "' destroy " + a.name() + " >/dev/null 2>&1 || true"));
            }
        }
    }

    private static String status(TestGuest guest) {
        return guest.qmp("{\"execute\":\"query-status\"}").path("status").asText();
    }

    /** QEMU's total_iops_sec of the guest's group t. */
    private static long limit(TestGuest guest) {
        return guest.qomLimits("throttle-t").path("iops-total").asLong();
    }

    /** The machine's load averages (other builds share its two cores): printed beside the rates. */
    private static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).strip();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static CliRunner.Result cli(Path tiers, String line) {
        return CliRunner.runWithTiers(tiers, CliRunner.argv(line));
    }

    private static CliRunner.Result ok(CliRunner.Result r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }
}
