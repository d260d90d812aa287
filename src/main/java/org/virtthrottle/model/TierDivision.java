package org.virtthrottle.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * One re-division of one rate of a tier's budget (for example its {@code total_iops_sec}) among the
 * throttle groups that share it, for one control interval. Pure: no clock, no I/O; the caller measures,
 * calls {@link #divide}, and sends {@link #changes()} in their order.
 *
 * <ol>
 *   <li><b>Demand.</b> A member whose measured rate is at least {@link Settings#saturation()} of its live
 *       limit is held down by that limit and its true demand is hidden: it is <em>backlogged</em> and its
 *       demand is its own cap, or {@link #UNBOUNDED} (the upward probe). Any other member (an unlimited
 *       one, current 0, included: its measured rate is its demand) wants {@code ceil(measured ×
 *       headroom) + floor}, at most its cap.
 *   <li><b>Shares.</b> Max-min fair (water-filling) over the demands; every share is at least the floor
 *       (a cap below the floor: the cap) and at most the member's cap. Budget the demands leave unused is
 *       spread in equal parts over the members below their caps (work conserving), so the shares add up
 *       to the budget, or to the sum of the caps when that is smaller. Remainders of integer division go
 *       one unit each to the first members in the given order: the sum is never above the budget.
 *   <li><b>Hysteresis.</b> A member whose share differs from its live limit by less than {@link
 *       Settings#margin()} of that limit keeps its limit (nothing is sent: every change resets QEMU's
 *       buckets and grants a burst), unless its limit is 0 (unlimited), above its cap or below the
 *       smallest share it may have. Keeping a limit above the share uses budget: raises are then made
 *       smaller (equal parts, never below the member's current limit), and only when that is not enough
 *       are such limits lowered to their shares after all (largest difference first).
 *   <li><b>Changes.</b> Every lowering (an unlimited member's included) before every raise, each group in
 *       the members' order. Applied in that order the sum of the live limits never rises during the
 *       lowers, is within the budget once they are done, and stays within it while the raises follow.
 * </ol>
 *
 * @param allocations one per member, in the members' order
 * @param changes the limits to set, lowers first
 */
public record TierDivision(List<Allocation> allocations, List<Change> changes) {
    /** The demand of a backlogged member that has no cap of its own. */
    public static final long UNBOUNDED = Long.MAX_VALUE;

    public TierDivision {
        allocations = List.copyOf(allocations);
        changes = List.copyOf(changes);
    }

    /**
     * The controller's constants.
     *
     * @param saturation a measured rate at or above this fraction of the live limit marks a member
     *     backlogged (0 &lt; saturation ≤ 1)
     * @param headroom an unsaturated member's demand is its measured rate times this, plus the floor
     *     (≥ 1)
     * @param margin relative change of a live limit below which it is kept (0 ≤ margin ≤ 0.5)
     */
    public record Settings(double saturation, double headroom, double margin) {
        /**
         * 0.9: a member held by QEMU measures somewhat under its limit over an interval (bucket resets,
         * requests in flight at the interval's edges), so a strict 1.0 would never probe. 1.25: a member
         * may grow by a quarter within an interval before it becomes backlogged and probes. 0.05: below
         * measurement noise of one-second rates, and small enough that the budget lost to kept limits is
         * at most a few percent.
         */
        public static final Settings DEFAULTS = new Settings(0.9, 1.25, 0.05);

        public Settings {
            if (!(saturation > 0 && saturation <= 1)) {
                throw new IllegalArgumentException("saturation must be in (0, 1]: " + saturation);
            }
            if (!(headroom >= 1 && headroom <= 1000)) {
                throw new IllegalArgumentException("headroom must be in [1, 1000]: " + headroom);
            }
            if (!(margin >= 0 && margin <= 0.5)) {
                throw new IllegalArgumentException("margin must be in [0, 0.5]: " + margin);
            }
        }
    }

    /**
     * A member's state at the end of an interval.
     *
     * @param id the member's name (unique within one call), e.g. "domain/group"
     * @param cap the member's own configured limit for this rate, 0 for none: its share never exceeds it
     * @param current its live limit now, 0 for unlimited
     * @param measured its rate over the last interval (operations or bytes per second), ≥ 0
     */
    public record Member(String id, long cap, long current, double measured) {
        public Member {
            if (id == null) {
                throw new IllegalArgumentException("member id must not be null");
            }
            if (cap < 0 || current < 0) {
                throw new IllegalArgumentException("member '" + id + "': cap and current must not be negative");
            }
            if (!(measured >= 0) || Double.isInfinite(measured)) {
                throw new IllegalArgumentException("member '" + id + "': measured rate must be finite and >= 0");
            }
        }
    }

    /**
     * What the division made of one member.
     *
     * @param demand the demand estimate: {@link #UNBOUNDED} for a backlogged member without a cap
     * @param backlogged its measured rate reached the saturation of its live limit
     * @param share its max-min fair share of the budget
     * @param limit its live limit once the changes are applied: the share, the current limit kept by
     *     hysteresis, or a raise made smaller to keep the budget
     */
    public record Allocation(String id, long demand, boolean backlogged, long share, long limit) {}

    /** One limit to set: {@code from} is the member's current limit (0: unlimited). */
    public record Change(String id, long from, long to) {
        /** A lowering: sent before any raise. Unlimited to any limit is a lowering. */
        public boolean isLower() {
            return from == 0 || to < from;
        }
    }

    /** {@link #divide(long, long, List, Settings)} with {@link Settings#DEFAULTS}. */
    public static TierDivision divide(long budget, long floor, List<Member> members) {
        return divide(budget, floor, members, Settings.DEFAULTS);
    }

    /**
     * Divides {@code budget} among {@code members} for the next interval.
     *
     * @param budget the tier's budget for this rate, 1..{@link ThrottleLimits#VALUE_MAX}
     * @param floor the least share of any member (a member whose cap is lower gets its cap), > 0
     * @param members the members, ids unique; the order breaks ties (rounding, order of changes)
     * @throws IllegalArgumentException for a budget or floor out of range, members × floor above the
     *     budget, or duplicate ids
     */
    public static TierDivision divide(long budget, long floor, List<Member> members, Settings settings) {
        if (budget <= 0 || budget > ThrottleLimits.VALUE_MAX) {
            throw new IllegalArgumentException("budget must be in 1.." + ThrottleLimits.VALUE_MAX + ": " + budget);
        }
        if (floor <= 0) {
            throw new IllegalArgumentException("floor must be > 0: " + floor);
        }
        int n = members.size();
        if (n > 0 && floor > budget / n) {
            throw new IllegalArgumentException(
                    "budget " + budget + " is less than " + n + " members times the floor " + floor);
        }
        Set<String> ids = new HashSet<>();
        for (Member m : members) {
            if (!ids.add(m.id())) {
                throw new IllegalArgumentException("duplicate member id '" + m.id() + "'");
            }
        }

        long[] low = new long[n]; // the least share: the floor, or a cap below it
        long[] high = new long[n]; // the most: the cap, at most the budget
        long[] demand = new long[n];
        boolean[] backlogged = new boolean[n];
        for (int i = 0; i < n; i++) {
            Member m = members.get(i);
            high[i] = m.cap() > 0 ? Math.min(m.cap(), budget) : budget;
            low[i] = Math.min(floor, high[i]);
            backlogged[i] = m.current() > 0 && m.measured() >= settings.saturation() * m.current();
            if (backlogged[i]) {
                demand[i] = m.cap() > 0 ? m.cap() : UNBOUNDED;
            } else {
                double wanted = Math.ceil(m.measured() * settings.headroom()) + floor;
                long estimate = wanted >= UNBOUNDED ? UNBOUNDED : (long) wanted;
                demand[i] = m.cap() > 0 ? Math.min(estimate, m.cap()) : estimate;
            }
        }

        // max-min fair over the demands, then what they leave in equal parts up to the caps
        long[] share = new long[n];
        long[] wanted = new long[n];
        for (int i = 0; i < n; i++) {
            wanted[i] = Math.max(low[i], Math.min(demand[i], high[i]));
        }
        long rest = budget - fill(share, wanted, budget);
        fill(share, high, rest);

        long[] limit = hysteresis(members, settings, budget, low, high, share);

        List<Allocation> allocations = new ArrayList<>(n);
        List<Change> lowers = new ArrayList<>();
        List<Change> raises = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Member m = members.get(i);
            allocations.add(new Allocation(m.id(), demand[i], backlogged[i], share[i], limit[i]));
            if (limit[i] != m.current()) {
                Change change = new Change(m.id(), m.current(), limit[i]);
                (change.isLower() ? lowers : raises).add(change);
            }
        }
        List<Change> changes = new ArrayList<>(lowers);
        changes.addAll(raises);
        return new TierDivision(allocations, changes);
    }

    /** The limits to have after the interval: the shares, with small changes skipped within the budget. */
    private static long[] hysteresis(
            List<Member> members, Settings settings, long budget, long[] low, long[] high, long[] share) {
        int n = share.length;
        long[] limit = share.clone();
        long[] current = new long[n];
        boolean[] keptAbove = new boolean[n];
        for (int i = 0; i < n; i++) {
            current[i] = members.get(i).current();
            long c = current[i];
            boolean keepable = c > 0 && c >= low[i] && c <= high[i];
            if (keepable && Math.abs(share[i] - c) < settings.margin() * c) {
                limit[i] = c;
                keptAbove[i] = c > share[i];
            }
        }
        long over = sum(limit) - budget;
        if (over > 0) {
            // raises can give back down to the member's current limit (or its least share)
            long reducible = 0;
            long[] raiseFloor = new long[n];
            for (int i = 0; i < n; i++) {
                raiseFloor[i] = isRaise(current[i], limit[i]) ? Math.max(current[i], low[i]) : limit[i];
                reducible += limit[i] - raiseFloor[i];
            }
            // not enough: limits kept above their shares go to their shares, largest excess first
            List<Integer> kept = IntStream.range(0, n)
                    .filter(i -> keptAbove[i])
                    .boxed()
                    .sorted(Comparator.<Integer>comparingLong(i -> share[i] - current[i])
                            .thenComparingInt(i -> i))
                    .toList();
            for (int i : kept) {
                if (over <= reducible) {
                    break;
                }
                over -= limit[i] - share[i];
                limit[i] = share[i];
            }
            if (over > 0) {
                // equal decrements of the raises: fill on the negated values
                long[] negated = new long[n];
                long[] bound = new long[n];
                for (int i = 0; i < n; i++) {
                    negated[i] = -limit[i];
                    bound[i] = -raiseFloor[i];
                }
                fill(negated, bound, over);
                for (int i = 0; i < n; i++) {
                    limit[i] = -negated[i];
                }
            }
            // a raise made smaller may now be within the margin: keep the current limit (sum only falls)
            for (int i = 0; i < n; i++) {
                long c = current[i];
                if (isRaise(c, limit[i]) && c >= low[i] && c <= high[i] && limit[i] - c < settings.margin() * c) {
                    limit[i] = c;
                }
            }
        }
        return limit;
    }

    private static boolean isRaise(long current, long limit) {
        return current > 0 && limit > current;
    }

    /**
     * Adds up to {@code amount} to {@code values} in equal parts, none above its {@code upper} bound:
     * water-filling of the increments. Parts of a unit left by integer division go one each to the
     * lowest indices. Returns how much was added ({@code amount}, or less when every value reached its
     * bound).
     */
    static long fill(long[] values, long[] upper, long amount) {
        List<Integer> open = IntStream.range(0, values.length)
                .filter(i -> upper[i] > values[i])
                .boxed()
                .sorted(Comparator.<Integer>comparingLong(i -> upper[i] - values[i])
                        .thenComparingInt(i -> i))
                .toList();
        long remaining = amount;
        for (int j = 0; j < open.size() && remaining > 0; j++) {
            int left = open.size() - j;
            long each = remaining / left;
            int i = open.get(j);
            long room = upper[i] - values[i];
            if (room <= each) {
                values[i] = upper[i];
                remaining -= room;
            } else {
                // every member left has more room than its part: give the parts, the units to the first
                List<Integer> rest =
                        open.subList(j, open.size()).stream().sorted().toList();
                long units = remaining - each * left;
                for (int k : rest) {
                    values[k] += each + (units-- > 0 ? 1 : 0);
                }
                remaining = 0;
            }
        }
        return amount - remaining;
    }

    private static long sum(long[] values) {
        long total = 0;
        for (long v : values) {
            total += v;
        }
        return total;
    }
}
