package org.virtthrottle.model;

import java.util.regex.Pattern;

/**
 * A tier: a named host-wide budget of rates (total/read/write bytes and IOPS per second) meant to be
 * shared by throttle groups of several domains. Bursts, burst lengths and the I/O size have no
 * meaning for a budget that is re-divided every interval, so a budget holds only the six rates.
 */
public record Tier(String name, ThrottleLimits budget) {
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
