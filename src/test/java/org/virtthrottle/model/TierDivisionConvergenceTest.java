package org.virtthrottle.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.virtthrottle.model.TierDivision.Change;
import org.virtthrottle.model.TierDivision.Member;
import org.virtthrottle.model.TierDivision.Settings;

/**
 * The controller in a loop against a fake QEMU: each member has a fixed true demand and gets, in each
 * interval, min(demand, its live limit) (all of its demand when unlimited). That is what it measures,
 * and the division's changes are its limits for the next interval.
 */
class TierDivisionConvergenceTest {
    private static final long BUDGET = 3000;
    private static final long FLOOR = 30;
    /** A member that would take any limit: well above the budget. */
    private static final double HEAVY = 1e6;

    /** The loop's state: live limits after each interval. */
    static final class Loop {
        final long budget;
        final long floor;
        final double[] demand;
        final long[] live;

        Loop(long budget, long floor, double[] demand, long[] start) {
            this.budget = budget;
            this.floor = floor;
            this.demand = demand.clone();
            this.live = start.clone();
        }

        double delivered(int i) {
            return live[i] == 0 ? demand[i] : Math.min(demand[i], live[i]);
        }

        /** One interval: measure, divide, apply; returns the number of changes sent. */
        int step() {
            List<Member> members = new ArrayList<>();
            for (int i = 0; i < live.length; i++) {
                members.add(new Member("m" + i, 0, live[i], delivered(i)));
            }
            TierDivision d = TierDivision.divide(budget, floor, members);
            for (Change c : d.changes()) {
                live[Integer.parseInt(c.id().substring(1))] = c.to();
            }
            return d.changes().size();
        }
    }

    /** The max-min fair allocation of the true demands (real numbers, no floor, no caps). */
    static double[] fair(double budget, double[] demand) {
        int n = demand.length;
        double[] share = new double[n];
        boolean[] done = new boolean[n];
        double left = budget;
        for (int open = n; open > 0; ) {
            double level = left / open;
            boolean any = false;
            for (int i = 0; i < n; i++) {
                if (!done[i] && demand[i] <= level) {
                    share[i] = demand[i];
                    left -= demand[i];
                    done[i] = true;
                    open--;
                    any = true;
                }
            }
            if (!any) {
                for (int i = 0; i < n; i++) {
                    if (!done[i]) {
                        share[i] = level;
                    }
                }
                break;
            }
        }
        return share;
    }

    /** Jain's fairness index of x: 1 when all equal, 1/n when one has everything. */
    static double jain(double[] x) {
        double sum = 0;
        double squares = 0;
        for (double v : x) {
            sum += v;
            squares += v * v;
        }
        return x.length == 0 || squares == 0 ? 1 : sum * sum / (x.length * squares);
    }

    /**
     * What each interval costs the members the fair allocation cannot satisfy: members that can have all
     * of their demand are given it times the headroom plus the floor (up to the fair level), or, between
     * the saturation and the level, the level. Within 5 % of the bottlenecked members' fair total, the
     * allocation can land within ±10 % even after the margin's 5 % of hysteresis.
     */
    static boolean headroomFits(double budget, double floor, double[] demand) {
        double[] fair = fair(budget, demand);
        double level = Arrays.stream(fair).max().orElse(0);
        double cost = 0;
        double bottlenecked = 0;
        for (int i = 0; i < demand.length; i++) {
            if (demand[i] > fair[i] + 1e-9) {
                bottlenecked += fair[i];
            } else {
                Settings s = Settings.DEFAULTS;
                double given = demand[i] >= s.saturation() * level
                        ? level
                        : Math.min(level, demand[i] * s.headroom() + floor + 1);
                cost += Math.max(0, given - demand[i]);
            }
        }
        return cost <= 0.05 * bottlenecked;
    }

    @Provide
    Arbitrary<double[]> demands() {
        Arbitrary<Double> one = Arbitraries.oneOf(
                Arbitraries.just(HEAVY),
                Arbitraries.doubles().between(0, 300),
                Arbitraries.doubles().between(0, 3000));
        return one.list().ofMinSize(2).ofMaxSize(6).map(l -> l.stream()
                .mapToDouble(Double::doubleValue)
                .toArray());
    }

    @Provide
    Arbitrary<long[]> starts() {
        return Arbitraries.oneOf(Arbitraries.just(0L), Arbitraries.longs().between(1, 2 * BUDGET))
                .array(long[].class)
                .ofSize(6);
    }

    @Property(tries = 500)
    void fromAnyStartWithinThreeIntervalsTheBottleneckedAreWithinTenPercentOfFair(
            @ForAll("demands") double[] demand, @ForAll("starts") long[] start) {
        Assume.that(Arrays.stream(demand).anyMatch(v -> v == HEAVY));
        Assume.that(headroomFits(BUDGET, FLOOR, demand));
        Loop loop = new Loop(BUDGET, FLOOR, demand, Arrays.copyOf(start, demand.length));
        for (int k = 0; k < 3; k++) {
            loop.step();
        }
        double[] fair = fair(BUDGET, demand);
        List<Double> normalized = new ArrayList<>();
        for (int i = 0; i < demand.length; i++) {
            assertThat(loop.delivered(i))
                    .as("member %d delivered, fair %.1f, limits %s", i, fair[i], Arrays.toString(loop.live))
                    .isBetween(0.9 * fair[i], 1.1 * fair[i]);
            if (demand[i] > fair[i] + 1e-9) {
                assertThat((double) loop.live[i]).isBetween(0.9 * fair[i], 1.1 * fair[i]);
                normalized.add(loop.delivered(i) / fair[i]);
            }
        }
        assertThat(jain(normalized.stream().mapToDouble(Double::doubleValue).toArray()))
                .isGreaterThanOrEqualTo(0.95);
    }

    @Property(tries = 300)
    void fromAnyStartTheLimitsSettleWithinThreeIntervals(
            @ForAll("demands") double[] demand, @ForAll("starts") long[] start) {
        Loop loop = new Loop(BUDGET, FLOOR, demand, Arrays.copyOf(start, demand.length));
        for (int k = 0; k < 3; k++) {
            loop.step();
        }
        assertThat(Arrays.stream(loop.live).sum()).isLessThanOrEqualTo(BUDGET);
        assertThat(loop.step()).as("changes in the fourth interval").isZero();
        for (int i = 0; i < demand.length; i++) {
            // nobody is starved: every member has its demand, or at least the floor
            assertThat(loop.delivered(i)).isGreaterThanOrEqualTo(Math.min(demand[i], FLOOR));
        }
    }

    @Property(tries = 100)
    void backloggedMembersConvergeToEqualShares(
            @ForAll @IntRange(min = 2, max = 6) int n, @ForAll("starts") long[] start) {
        double[] demand = new double[n];
        Arrays.fill(demand, HEAVY);
        Loop loop = new Loop(BUDGET, FLOOR, demand, Arrays.copyOf(start, n));
        for (int k = 0; k < 3; k++) {
            loop.step();
        }
        double[] delivered = new double[n];
        for (int i = 0; i < n; i++) {
            delivered[i] = loop.delivered(i);
            assertThat(delivered[i]).isBetween(0.9 * BUDGET / n, 1.1 * BUDGET / n);
        }
        assertThat(jain(delivered)).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void examplesConvergeInOneInterval() {
        Loop loop = new Loop(BUDGET, FLOOR, new double[] {2000, 150, HEAVY}, new long[] {0, 2500, 100});
        loop.step();
        // demands 2000 (backlogged after the first interval), 150 x 1.25 + 30, unbounded
        assertThat(loop.live).containsExactly(1391, 218, 1391);
        loop.step();
        assertThat(loop.live).containsExactly(1391, 218, 1391);
        double[] fair = fair(BUDGET, new double[] {2000, 150, HEAVY});
        assertThat(fair).containsExactly(1425, 150, 1425);
    }

    @Test
    void aMemberThatWakesUpHasItsShareAfterOneIntervalAndGivesItBackAfterOne() {
        Loop loop = new Loop(BUDGET, FLOOR, new double[] {HEAVY, HEAVY, 100}, new long[] {0, 0, 0});
        loop.step();
        assertThat(loop.live).containsExactly(1423, 1422, 155);

        // its demand jumps: the interval under its old limit saturates it (the probe), the next one divides
        loop.demand[2] = HEAVY;
        loop.step();
        assertThat(loop.live).containsExactly(1000, 1000, 1000);

        // idle again: its measured rate under the new limit gives its share back at once
        loop.demand[2] = 0;
        loop.step();
        assertThat(loop.live).containsExactly(1485, 1485, 30);
    }

    /**
     * The rule's known cost: a member that is not saturated is given its rate with headroom, paid by the
     * backlogged. Against the true demands (1200 and unbounded: fair 1200 and 1800) both get 1500, and
     * the member with headroom keeps it: the backlogged one is 17 % under its fair allocation for as long
     * as the other's demand stays. Shown here so that a change of the rule that fixes it shows up.
     */
    @Test
    void anUnsaturatedMembersHeadroomIsPaidByTheBacklogged() {
        Loop loop = new Loop(BUDGET, FLOOR, new double[] {1200, HEAVY}, new long[] {0, 0});
        for (int k = 0; k < 5; k++) {
            loop.step();
        }
        assertThat(loop.live).containsExactly(1500, 1500);
        assertThat(fair(BUDGET, new double[] {1200, HEAVY})).containsExactly(1200, 1800);
    }
}
