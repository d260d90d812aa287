package org.virtthrottle.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.virtthrottle.model.TierDivision.Allocation;
import org.virtthrottle.model.TierDivision.Change;
import org.virtthrottle.model.TierDivision.Member;
import org.virtthrottle.model.TierDivision.Settings;

/**
 * Generated cases (jqwik) of {@link TierDivision}: random budgets, floors and 1..50 members with random
 * caps, live limits (0, unlimited, included) and measured rates, around the places where the rules
 * change (saturation, margin, caps near the floor).
 */
class TierDivisionPropertiesTest {
    /** One call's input. */
    record Case(long budget, long floor, List<Member> members) {
        TierDivision divide() {
            return TierDivision.divide(budget, floor, members);
        }

        long high(int i) {
            long cap = members.get(i).cap();
            return cap > 0 ? Math.min(cap, budget) : budget;
        }

        long low(int i) {
            return Math.min(floor, high(i));
        }
    }

    /**
     * Every rule on each generated case (one generation, all checks: generating is what costs); each
     * check names its rule.
     */
    @Property(tries = 400)
    void everyDivisionKeepsTheRules(@ForAll("cases") Case c) {
        TierDivision d = c.divide();
        finalLimitsStayWithinTheBudget(c, d);
        applyingTheChangesInOrderNeverGoesOverTheBudgetOnceTheLowersAreDone(c, d);
        everyShareAndLimitIsBetweenTheFloorAndTheCap(c, d);
        noMemberIsBelowAnotherUnlessItHasItsDemandOrItsCap(c, d);
        theSharesUseTheWholeBudgetOrEveryCap(c, d);
        changesStartFromTheCurrentLimitAndEndAtTheNewOne(c, d);
        aKeptLimitIsWithinTheMarginOfTheShare(c, d);
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Long> budgets = Arbitraries.oneOf(
                Arbitraries.longs().between(1, 200),
                Arbitraries.longs().between(1, 1_000_000),
                Arbitraries.longs().between(1, ThrottleLimits.VALUE_MAX));
        return Combinators.combine(budgets, Arbitraries.integers().between(1, 50))
                .as((budget, n) -> new long[] {budget, n})
                .filter(bn -> bn[1] <= bn[0])
                .flatMap(bn -> {
                    long budget = bn[0];
                    int n = (int) bn[1];
                    long maxFloor = budget / n;
                    Arbitrary<Long> floors = Arbitraries.oneOf(
                            Arbitraries.longs().between(1, maxFloor),
                            Arbitraries.longs().between(1, Math.max(1, maxFloor / 100)),
                            Arbitraries.just(maxFloor));
                    return floors.flatMap(floor -> specs(budget, floor, n)
                            .list()
                            .ofSize(n)
                            .map(specs -> new Case(budget, floor, named(specs))));
                });
    }

    /** A member without its id: cap, current, measured. */
    record Spec(long cap, long current, double measured) {}

    private static List<Member> named(List<Spec> specs) {
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            Spec s = specs.get(i);
            members.add(new Member("m" + i, s.cap(), s.current(), s.measured()));
        }
        return members;
    }

    private static Arbitrary<Spec> specs(long budget, long floor, int n) {
        long even = budget / n;
        Arbitrary<Long> caps = Arbitraries.oneOf(
                Arbitraries.just(0L),
                Arbitraries.just(0L),
                Arbitraries.longs().between(1, Math.max(1, floor * 2)),
                Arbitraries.longs().between(1, budget * 2));
        Arbitrary<Long> currents = Arbitraries.oneOf(
                Arbitraries.just(0L),
                Arbitraries.longs().between(1, budget * 2),
                Arbitraries.longs().between(Math.max(1, budget / 60), Math.max(1, budget / 10)),
                // near an even share: within the margin, where hysteresis keeps limits
                Arbitraries.longs().between(Math.max(1, even - even / 16), even + even / 16));
        Arbitrary<Double> fractions = Arbitraries.oneOf(
                Arbitraries.doubles().between(0, 1.2),
                Arbitraries.just(0.0),
                Arbitraries.just(1.0),
                Arbitraries.doubles().between(0.85, 0.95));
        return Combinators.combine(caps, currents, fractions)
                .as((cap, current, fraction) -> new Spec(cap, current, (current == 0 ? budget : current) * fraction));
    }

    private static void finalLimitsStayWithinTheBudget(Case c, TierDivision d) {

        assertThat(d.allocations().stream().mapToLong(Allocation::limit).sum()).isLessThanOrEqualTo(c.budget());
        assertThat(d.allocations().stream().mapToLong(Allocation::share).sum()).isLessThanOrEqualTo(c.budget());
    }

    private static void applyingTheChangesInOrderNeverGoesOverTheBudgetOnceTheLowersAreDone(Case c, TierDivision d) {
        long[] live = c.members().stream().mapToLong(Member::current).toArray();
        List<String> ids = c.members().stream().map(Member::id).toList();
        LiveSum before = LiveSum.of(live);
        boolean lowering = true;
        for (Change change : d.changes()) {
            if (!change.isLower()) {
                if (lowering) {
                    assertThat(LiveSum.of(live).atMost(c.budget()))
                            .as("after the lowers")
                            .isTrue();
                }
                lowering = false;
            } else {
                assertThat(lowering).as("a lower after a raise").isTrue();
            }
            live[ids.indexOf(change.id())] = change.to();
            LiveSum now = LiveSum.of(live);
            if (lowering) {
                assertThat(now.notAbove(before)).as("a lower raised the sum").isTrue();
                before = now;
            } else {
                assertThat(now.atMost(c.budget())).as("during the raises").isTrue();
            }
        }
        assertThat(LiveSum.of(live).atMost(c.budget())).as("at the end").isTrue();
    }

    /** A sum of live limits where 0 (unlimited) counts as infinite. */
    record LiveSum(int unlimited, long finite) {
        static LiveSum of(long[] live) {
            int unlimited = 0;
            long finite = 0;
            for (long v : live) {
                if (v == 0) {
                    unlimited++;
                } else {
                    finite += v;
                }
            }
            return new LiveSum(unlimited, finite);
        }

        boolean atMost(long budget) {
            return unlimited == 0 && finite <= budget;
        }

        boolean notAbove(LiveSum other) {
            return unlimited < other.unlimited || (unlimited == other.unlimited && finite <= other.finite);
        }
    }

    private static void everyShareAndLimitIsBetweenTheFloorAndTheCap(Case c, TierDivision d) {

        for (int i = 0; i < c.members().size(); i++) {
            Allocation a = d.allocations().get(i);
            long cap = c.members().get(i).cap();
            for (long v : new long[] {a.share(), a.limit()}) {
                assertThat(v).isGreaterThanOrEqualTo(cap > 0 ? Math.min(c.floor(), cap) : c.floor());
                if (cap > 0) {
                    assertThat(v).isLessThanOrEqualTo(cap);
                }
            }
        }
    }

    private static void noMemberIsBelowAnotherUnlessItHasItsDemandOrItsCap(Case c, TierDivision d) {
        List<Allocation> as = d.allocations();

        for (int i = 0; i < as.size(); i++) {
            Allocation a = as.get(i);
            boolean satisfied = a.share() >= Math.min(a.demand(), c.high(i));
            for (Allocation b : as) {
                // one unit: the remainder of an integer division
                if (a.share() + 1 < b.share() && !satisfied) {
                    fail(
                            "%s (%s) below %s without its demand or cap, budget %d",
                            a, c.members().get(i), b, c.budget());
                }
            }
        }
    }

    private static void theSharesUseTheWholeBudgetOrEveryCap(Case c, TierDivision d) {
        long caps = 0;
        for (int i = 0; i < c.members().size(); i++) {
            caps += c.high(i);
        }

        assertThat(d.allocations().stream().mapToLong(Allocation::share).sum()).isEqualTo(Math.min(c.budget(), caps));
    }

    @Property(tries = 200)
    void backloggedMembersWithoutCapsShareTheWholeBudgetEqually(@ForAll("cases") Case c) {
        List<Member> backlogged = c.members().stream()
                .map(m -> new Member(m.id(), 0, Math.max(1, m.current()), Math.max(1, m.current())))
                .toList();
        TierDivision d = TierDivision.divide(c.budget(), c.floor(), backlogged);

        assertThat(d.allocations()).allSatisfy(a -> assertThat(a.backlogged()).isTrue());
        long sum = d.allocations().stream().mapToLong(Allocation::share).sum();
        assertThat(sum).isBetween(c.budget() - (backlogged.size() - 1), c.budget());
        long min = d.allocations().stream().mapToLong(Allocation::share).min().orElseThrow();
        long max = d.allocations().stream().mapToLong(Allocation::share).max().orElseThrow();
        assertThat(max - min).isLessThanOrEqualTo(1);
    }

    @Property(tries = 200)
    void theSameInputGivesTheSameDivision(@ForAll("cases") Case c) {
        assertThat(TierDivision.divide(c.budget(), c.floor(), new ArrayList<>(c.members())))
                .isEqualTo(c.divide());
    }

    private static void changesStartFromTheCurrentLimitAndEndAtTheNewOne(Case c, TierDivision d) {

        for (int i = 0; i < c.members().size(); i++) {
            Member m = c.members().get(i);
            Allocation a = d.allocations().get(i);
            assertThat(a.id()).isEqualTo(m.id());
            List<Change> own =
                    d.changes().stream().filter(ch -> ch.id().equals(m.id())).toList();
            if (a.limit() == m.current()) {
                assertThat(own).isEmpty();
            } else {
                assertThat(own).containsExactly(new Change(m.id(), m.current(), a.limit()));
            }
        }
    }

    private static void aKeptLimitIsWithinTheMarginOfTheShare(Case c, TierDivision d) {
        double margin = Settings.DEFAULTS.margin();

        for (int i = 0; i < c.members().size(); i++) {
            Member m = c.members().get(i);
            Allocation a = d.allocations().get(i);
            if (a.limit() == m.current() && a.limit() != a.share()) {
                assertThat(m.current()).isPositive();
                if (m.current() > a.share()) {
                    // kept above the share: only within the margin
                    assertThat((double) m.current() - a.share()).isLessThan(margin * m.current());
                }
                // kept below the share: within the margin, or a raise made smaller to keep the budget
            }
            if (m.current() == 0 || (m.cap() > 0 && m.current() > m.cap())) {
                assertThat(a.limit()).isNotEqualTo(m.current());
            }
        }
    }
}
