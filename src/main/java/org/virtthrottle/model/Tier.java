package org.virtthrottle.model;

import java.util.EnumMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A tier: a named host-wide budget of rates (total/read/write bytes and IOPS per second) meant to be
 * shared by throttle groups of several domains. Bursts, burst lengths and the I/O size have no
 * meaning for a budget that is re-divided every interval, so a budget holds only the six rates.
 */
public record Tier(String name, ThrottleLimits budget) {
    /**
     * The least share of an IOPS rate a member gets, however idle: QEMU reads 0 as "no limit", and a
     * member must be able to show demand for the controller to see it.
     */
    public static final long IOPS_FLOOR = 10;
    /** The least share of a bytes rate a member gets (1 MiB/s), for the same reasons. */
    public static final long BYTES_FLOOR = 1_048_576;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}");

    /**
     * @throws InvalidConfigException for a name that is not 1-64 letters, digits, '_', '.', '-' (not
     *     starting with '.' or '-'), a limit other than a rate, or no limit at all
     */
    public Tier validated() {
        checkName(name);
        for (LimitField field : budget.nonZero().keySet()) {
            if (!isRate(field)) {
                throw new InvalidConfigException("tier '" + name + "': '" + field.xmlName()
                        + "' is not a rate; a tier budget takes only total/read/write bytes and IOPS per second");
            }
        }
        if (budget.isEmpty()) {
            throw new InvalidConfigException("tier '" + name + "' has no limit: give at least one rate");
        }
        budget.validated();
        return this;
    }

    /** A member's least share of the rate: the floor, or its own lower limit. */
    public static long floor(LimitField rate, long ownLimit) {
        long floor = rate.family() == LimitField.Family.IOPS ? IOPS_FLOOR : BYTES_FLOOR;
        return ownLimit > 0 ? Math.min(floor, ownLimit) : floor;
    }

    /**
     * @throws InvalidConfigException when the budget cannot give {@code members} members each its floor
     */
    public void checkFloors(int members) {
        budget.nonZero().forEach((rate, value) -> {
            long need = members * floor(rate, 0);
            if (value < need) {
                throw new InvalidConfigException("tier '" + name + "': " + rate.xmlName() + "=" + value
                        + " is below what its " + members + " member group(s) need at least (" + members + " x "
                        + floor(rate, 0) + " = " + need + ")");
            }
        });
    }

    /**
     * Checks that a group with these limits of its own can be a member: QEMU takes no total together
     * with read/write of one kind, and a burst above the share would break the budget.
     *
     * @throws InvalidConfigException naming the group's limit in the way
     */
    public void checkMember(String group, ThrottleLimits own) {
        for (LimitField rate : budget.nonZero().keySet()) {
            for (LimitField field : own.nonZero().keySet()) {
                if (field.family() == rate.family() && field.isTotal() != rate.isTotal()) {
                    throw new InvalidConfigException("throttle group '" + group + "' sets " + field.xmlName()
                            + ", but tier '" + name + "' divides " + rate.xmlName()
                            + ": total and read/write of " + rate.family().label()
                            + " cannot be set at the same time");
                }
                boolean burst =
                        field.family() == LimitField.Family.BYTES_MAX || field.family() == LimitField.Family.IOPS_MAX;
                if (burst && field.average() == rate) {
                    throw new InvalidConfigException("throttle group '" + group + "' sets " + field.xmlName()
                            + ": a member of tier '" + name + "' cannot burst above its share of "
                            + rate.xmlName());
                }
            }
        }
    }

    /**
     * The limits a member group has live: its own, with each rate the tier divides at its current
     * share ({@code live}'s value, at most the group's own limit) or, without one, at its floor; so a
     * group that joins, or that QEMU gets anew, never takes more than the floor until the controller
     * gives it more.
     */
    public ThrottleLimits memberLimits(ThrottleLimits own, ThrottleLimits live) {
        Map<LimitField, Long> values = new EnumMap<>(own.nonZero());
        budget.nonZero().keySet().forEach(rate -> {
            long share = live.get(rate);
            long cap = own.get(rate);
            values.put(rate, share <= 0 ? floor(rate, cap) : cap > 0 ? Math.min(share, cap) : share);
        });
        return ThrottleLimits.of(values);
    }

    public static void checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new InvalidConfigException("invalid tier name '" + name
                    + "': use 1-64 letters, digits, '_', '.' or '-', not starting with '.' or '-'");
        }
    }

    public static InvalidConfigException notFound(String name) {
        return new InvalidConfigException("tier '" + name + "' not found");
    }

    public static boolean isRate(LimitField field) {
        return field.family() == LimitField.Family.BYTES || field.family() == LimitField.Family.IOPS;
    }
}
