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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    private static final int WINDOW_SECONDS = 3;
    /**
     * The QEMU 10 run (it sets virtthrottle.expectedQemu) checks QEMU's part: shares taking effect on busy,
     * lone and paused guests. The controller's other paths (own limits, stop, start, kill, restart) are the
     * same code on any QEMU and run once, on the machine's.
     */
    private static final boolean QEMU_PART_ONLY = System.getProperty("virtthrottle.expectedQemu") != null;

    private final List<LinuxGuest> guests = new ArrayList<>();
    private Path tiers;
    private long budget;
    private double[] staticSplit;
    private double aloneFree;

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
            // live and in the config: a guest started again is a member from its start
            ok(cli("throttlegroupset " + guests.get(i).name() + " t --total-iops-sec 100000 --live --config"));
            ok(cli("throttlefilterset " + guests.get(i).name() + " " + TierGuests.disk(guests.get(i))
                    + " t --live --config"));
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
        if (QEMU_PART_ONLY) {
            aloneFree = Double.MAX_VALUE;
            staticSplit = new double[3];
        } else {
            // what the first guest reads alone, unlimited: the most any division can give it on this host now
            aloneFree = loneBusy(() -> {})[0];
            report("no tier, first alone busy", new double[] {aloneFree, 0, 0});
            staticSplit = loneBusy(() -> {
                for (LinuxGuest g : guests) {
                    ok(cli("throttlegroupset " + g.name() + " t --total-iops-sec " + budget / 3 + " --live"));
                }
            });
            report("static split, first alone busy", staticSplit);
        }
        ok(cli("throttletierset gold --total-iops-sec " + budget));
        for (LinuxGuest g : guests) {
            ok(cli("throttlegroupset " + g.name() + " t --total-iops-sec 100000 --tier gold --live --config"));
        }
    }

    /** The rates with the second and third guests paused (after {@code setUp}), both resumed after. */
    private double[] loneBusy(Runnable setUp) throws InterruptedException {
        return loneBusy(setUp, () -> {});
    }

    /** As {@link #loneBusy(Runnable)}; {@code during} runs at the window's end, before the resumes. */
    private double[] loneBusy(Runnable setUp, Runnable during) throws InterruptedException {
        setUp.run();
        guests.get(1).guest().virsh("suspend", guests.get(1).name());
        guests.get(2).guest().virsh("suspend", guests.get(2).name());
        try {
            Thread.sleep(3000);
            double[] rates = rates();
            during.run();
            return rates;
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
            System.out.printf("TierIT: Jain's fairness index, all busy: %.4f%n", jain(busy));
            assertThat(jain(busy))
                    .as("Jain's fairness index of the busy members")
                    .isGreaterThanOrEqualTo(0.95);

            long[] aloneLimit = new long[1];
            double[] alone = loneBusy(() -> {}, () -> aloneLimit[0] = limit(guests.get(0)));
            report("tier, first alone busy", alone);
            assertThat(aloneLimit[0])
                    .as("work conserving: the lone busy member's limit is the budget but the others' floors")
                    .isBetween(Math.round((budget - 20) * 0.95), budget);
            assertThat(alone[0])
                    .as("and it reads near that (a loaded host's CPUs may hold a TCG guest a little below), where a "
                            + "static split gave it " + staticSplit[0])
                    .isGreaterThanOrEqualTo(Math.min(aloneLimit[0], aloneFree) * 0.9)
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
            if (QEMU_PART_ONLY) {
                for (LinuxGuest g : guests) {
                    assertThat(g.guest().isActive()).isTrue();
                }
                return;
            }

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

            // the control's cost, logged every 30 intervals: one bulk stats call, and a QMP command per change
            Pattern cost = Pattern.compile(
                    "tiers: 3 member groups; per interval over the last 30: ([0-9.]+) libvirt calls, ([0-9.]+) ms CPU");
            watch.await("the cost report", 40, () -> cost.matcher(watch.log()).find());
            Matcher reported = cost.matcher(watch.log());
            assertThat(reported.find()).isTrue();
            System.out.printf(
                    "TierIT: cost per interval: %s libvirt calls, %s ms CPU%n", reported.group(1), reported.group(2));
            assertThat(Double.parseDouble(reported.group(1)))
                    .as("libvirt calls per interval: the bulk stats call and a few changes")
                    .isLessThan(4);

            guests.get(2).guest().destroyDomain();
            Thread.sleep(3000);
            double[] stopped = rates();
            report("third stopped", stopped);
            assertThat(stopped[0])
                    .as("a stopped member's share goes to the others")
                    .isBetween((budget - 20) * 0.9, (budget - 20) * 1.05);
            String third = guests.get(2).name();
            assertThat(ok(cli("throttletierinfo gold")).out())
                    .as("a shut-off member is listed without a share")
                    .containsPattern(Pattern.quote(third) + " +t +shut off +-");

            // started again: a member from its config, back in the tier at the next interval
            int mark = watch.log().length();
            guests.get(2).guest().startDomain();
            watch.await("the started guest back in the tier", 60, () -> watch.log()
                    .substring(mark)
                    .contains(third + ": tier members: t (gold)"));
            long booted = System.currentTimeMillis() + 60_000;
            long reads = TierGuests.readRequests(guests.get(2));
            while (TierGuests.readRequests(guests.get(2)) < reads + 100) {
                assertThat(System.currentTimeMillis())
                        .as("the started guest reads its disk")
                        .isLessThan(booted);
                Thread.sleep(200);
            }
            Thread.sleep(3000);
            double[] restarted = rates();
            report("third started again", restarted);
            double half = (budget - 20) / 2.0;
            assertThat(restarted[0]).as("first").isBetween(half * 0.9, half * 1.1);
            assertThat(restarted[2]).as("the started one gets its part back").isBetween(half * 0.9, half * 1.1);
            assertThat(sum(restarted)).isLessThanOrEqualTo(budget * 1.05);
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

        // a watch started again takes over from the shares in QEMU: guest 2's own limit is lifted (its share
        // stays 20 meanwhile: nobody divides), and the new watch gives the three their thirds, never more
        ok(cli("throttlegroupset " + guests.get(1).name() + " t --total-iops-sec 100000 --live"));
        assertThat(limit(guests.get(1))).as("without watch the share stays").isEqualTo(20);
        try (WatchProcess again = WatchProcess.start(
                Map.of("VIRT_THROTTLE_TIERS", tiers.toString()), "-c", TestHost.URI, "watch", "--all")) {
            again.await("tier members read", 30, () -> again.log().contains("tier members:"));
            long deadline = System.nanoTime() + 3_000_000_000L;
            while (System.nanoTime() < deadline) {
                assertThat(liveLimitsSum())
                        .as("never above the budget while it takes over")
                        .isLessThanOrEqualTo(budget);
                Thread.sleep(200);
            }
            double[] takenOver = rates();
            report("watch started again", takenOver);
            for (double r : takenOver) {
                assertThat(r).as("each near budget / 3 again").isBetween(budget / 3.0 * 0.9, budget / 3.0 * 1.1);
            }
            again.stop();
        }
        for (LinuxGuest g : guests) {
            assertThat(g.guest().isActive()).isTrue();
        }
    }

    /** Jain's fairness index: 1 when all are equal, 1/n when one has everything. */
    private static double jain(double... rates) {
        double sum = 0;
        double squares = 0;
        for (double r : rates) {
            sum += r;
            squares += r * r;
        }
        return sum * sum / (rates.length * squares);
    }

    /** Each guest's reads per second over the same window, from QEMU's counters of its disk. */
    private double[] rates() {
        return TierGuests.rates(guests, WINDOW_SECONDS);
    }

    private static long limit(LinuxGuest g) {
        return g.guest().qomLimits("throttle-t").path("iops-total").asLong();
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
