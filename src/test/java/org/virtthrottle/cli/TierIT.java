package org.virtthrottle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.virtthrottle.testing.LinuxGuest;
import org.virtthrottle.testing.TestHost;
import org.virtthrottle.testing.TierGuests;
import org.virtthrottle.testing.WatchProcess;

/**
 * Three real Linux guests, each reading its own disk as fast as it can (the third's disk in an
 * IOThread), their groups members of one tier, and {@code watch --all} dividing the tier's budget: the guests' read rates (QEMU's counters of
 * the guests' own requests) and the members' limits in QEMU (raw QMP) show the budget kept, its
 * division by demand, and the last shares staying when watch is killed.
 */
@Tag("integration")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TierIT {
    private static final int WINDOW_SECONDS = 4;

    private final List<LinuxGuest> guests = new ArrayList<>();
    private Path tiers;
    private long budget;
    private double[] staticSplit;

    @BeforeAll
    void threeGuestsReadingTheirDisks() throws Exception {
        tiers = Files.createTempDirectory("vt-tiers").resolve("tiers.yaml");
        guests.add(busyGuest(0)); // the first alone: it builds the guest's kernel and initramfs if needed
        ExecutorService boot = Executors.newFixedThreadPool(2);
        try {
            List<Future<LinuxGuest>> started = new ArrayList<>();
            for (int i = 1; i < 3; i++) {
                int n = i;
                started.add(boot.submit(() -> busyGuest(n)));
            }
            for (Future<LinuxGuest> f : started) {
                guests.add(f.get());
            }
        } finally {
            boot.shutdown();
        }
        for (int i = 0; i < 3; i++) {
            ok(cli("throttlegroupset " + guests.get(i).name() + " t --total-iops-sec 100000 --live"));
            ok(cli("throttlefilterset " + guests.get(i).name() + " " + TierGuests.disk(guests.get(i)) + " t --live"));
        }
        // the guests' own demand, all at once on this host: the budget is well below it, so each is backlogged
        double[] free = rates();
        double slowest = Math.min(free[0], Math.min(free[1], free[2]));
        // a third of it: one guest alone (less contention for the host's CPUs) still wants more than the budget
        budget = Math.round(slowest * 3 * 0.33);
        System.out.printf(
                "TierIT: unthrottled read rates %.0f %.0f %.0f IOPS; budget %d IOPS%n",
                free[0], free[1], free[2], budget);
        assertThat(budget)
                .as("the guests must read fast enough for a tier to matter")
                .isGreaterThan(120);
        staticSplit = loneBusy(() -> {
            for (LinuxGuest g : guests) {
                ok(cli("throttlegroupset " + g.name() + " t --total-iops-sec " + budget / 3 + " --live"));
            }
        });
        report("static split, first alone busy", staticSplit);
        ok(cli("throttletierset gold --total-iops-sec " + budget));
        for (LinuxGuest g : guests) {
            ok(cli("throttlegroupset " + g.name() + " t --total-iops-sec 100000 --tier gold --live"));
        }
    }

    /** The rates with the second and third guests paused (after {@code setUp}), both resumed after. */
    private double[] loneBusy(Runnable setUp) throws InterruptedException {
        setUp.run();
        guests.get(1).guest().virsh("suspend", guests.get(1).name());
        guests.get(2).guest().virsh("suspend", guests.get(2).name());
        try {
            Thread.sleep(3000);
            return rates();
        } finally {
            guests.get(1).guest().virsh("resume", guests.get(1).name());
            guests.get(2).guest().virsh("resume", guests.get(2).name());
        }
    }

    /** A busy guest (TierGuests.busyGuest) on this host; the third's disk in an IOThread. */
    private static LinuxGuest busyGuest(int n) {
        Path image = TestHost.createImage("vt-tier-" + n + "-" + System.nanoTime() + ".qcow2", "qcow2", "48M");
        return TierGuests.busyGuest(TestHost.URI, image, n == 2);
    }

    @AfterAll
    void close() {
        guests.forEach(LinuxGuest::close);
    }

    @Test
    void watchDividesTheBudgetByDemandAndItsLastSharesStayWhenItIsKilled() throws Exception {
        try (WatchProcess watch = WatchProcess.start(
                Map.of("VIRT_THROTTLE_TIERS", tiers.toString()), "-c", TestHost.URI, "watch", "--all")) {
            watch.await("tier shares", 30, () -> watch.log().contains("tier shares:"));
            Thread.sleep(3000);

            double[] busy = rates();
            report("all busy", busy);
            assertThat(sum(busy)).as("the tier's aggregate rate").isLessThanOrEqualTo(budget * 1.05);
            for (double r : busy) {
                assertThat(r).as("each near budget / 3").isBetween(budget / 3.0 * 0.9, budget / 3.0 * 1.1);
            }
            assertThat(liveLimitsSum()).as("members' limits in QEMU").isLessThanOrEqualTo(budget);

            double[] alone = loneBusy(() -> {});
            report("tier, first alone busy", alone);
            assertThat(alone[0])
                    .as("work conserving: the lone busy member gets the budget but the others' floors, where a "
                            + "static split gave it " + staticSplit[0])
                    .isGreaterThanOrEqualTo((budget - 20) * 0.95)
                    .isLessThanOrEqualTo(budget * 1.05);
            assertThat(staticSplit[0]).isLessThanOrEqualTo(budget / 3.0 * 1.05);
            Thread.sleep(3000);

            guests.get(0).guest().virsh("suspend", guests.get(0).name());
            Thread.sleep(3000);
            double[] paused = rates();
            report("first paused", paused);
            double share = (budget - 10) / 2.0;
            for (int i = 1; i < 3; i++) {
                assertThat(paused[i]).as("the other two share its part").isBetween(share * 0.9, share * 1.1);
            }
            assertThat(sum(paused)).isLessThanOrEqualTo(budget * 1.05);
            assertThat(paused[1] + paused[2])
                    .as("work conserving: >= 95% of the budget delivered")
                    .isGreaterThanOrEqualTo(budget * 0.95 - 10);
            guests.get(0).guest().virsh("resume", guests.get(0).name());

            ok(cli("throttlegroupset " + guests.get(1).name() + " t --total-iops-sec 20 --live"));
            Thread.sleep(3000);
            double[] capped = rates();
            report("second capped at 20", capped);
            assertThat(capped[1]).as("its own lower limit").isLessThanOrEqualTo(20 * 1.05);
            double rest = (budget - 20) / 2.0;
            assertThat(capped[0]).as("the rest to the others").isBetween(rest * 0.9, rest * 1.1);
            assertThat(capped[2]).as("the rest to the others").isBetween(rest * 0.9, rest * 1.1);

            String info = ok(cli("throttletierinfo gold")).out();
            for (LinuxGuest g : guests) {
                assertThat(info).contains(g.name());
            }

            guests.get(2).guest().destroyDomain();
            Thread.sleep(3000);
            double[] stopped = rates();
            report("third stopped", stopped);
            assertThat(stopped[0])
                    .as("a stopped member's share goes to the others")
                    .isBetween((budget - 20) * 0.9, (budget - 20) * 1.05);
            assertThat(ok(cli("throttletierinfo gold")).out())
                    .doesNotContain(guests.get(2).name());
            ProcessHandle.of(watch.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
        long before = liveLimitsSum();
        Thread.sleep(3000);
        assertThat(liveLimitsSum())
                .as("the last shares stay after watch is killed")
                .isEqualTo(before);
        assertThat(before).isLessThanOrEqualTo(budget);
        double[] after = rates();
        assertThat(sum(after)).isLessThanOrEqualTo(budget * 1.05);
        String reconcile = ok(cli("reconcile --all")).out();
        assertThat(liveLimitsSum())
                .as("reconcile leaves the shares alone: " + reconcile)
                .isEqualTo(before);
        assertThat(reconcile)
                .contains(
                        guests.get(0).name() + ": throttle group t: the rates tier gold divides are the tier's to set");
        assertThat(guests.get(0).guest().isActive()).isTrue();
        assertThat(guests.get(1).guest().isActive()).isTrue();
    }

    /** Each guest's reads per second over the same window, from QEMU's counters of its disk. */
    private double[] rates() {
        return TierGuests.rates(guests, WINDOW_SECONDS);
    }

    private long liveLimitsSum() {
        long sum = 0;
        for (LinuxGuest g : guests) {
            if (g.guest().isActive()) {
                sum += g.guest().qomLimits("throttle-t").path("iops-total").asLong();
            }
        }
        return sum;
    }

    private void report(String what, double[] rates) {
        System.out.printf(
                "TierIT: %s: %.1f %.1f %.1f IOPS (sum %.1f, budget %d), limits sum %d%n",
                what, rates[0], rates[1], rates[2], sum(rates), budget, liveLimitsSum());
    }

    private static double sum(double[] rates) {
        return rates[0] + rates[1] + rates[2];
    }

    private CliRunner.Result cli(String line) {
        return CliRunner.runWithTiers(tiers, CliRunner.argv(line));
    }

    private static CliRunner.Result ok(CliRunner.Result r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r;
    }
}
