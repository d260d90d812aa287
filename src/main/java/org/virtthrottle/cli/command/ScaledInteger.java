package org.virtthrottle.cli.command;

import java.math.BigInteger;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.virtthrottle.app.UsageException;
import org.virtthrottle.model.InvalidConfigException;
import org.virtthrottle.model.ThrottleLimits;

/**
 * Parses limit values as virsh does: plain non-negative integers, and for byte quantities an
 * optional scale suffix (K/KiB = 1024, KB = 1000, M/MiB, MB, G/GiB, GB, T, P, E; b/byte/bytes = 1).
 */
public final class ScaledInteger {
    private static final Pattern NUMBER = Pattern.compile("(\\d+)([A-Za-z]*)");
    private static final String UNITS = "kmgtpe";

    private ScaledInteger() {
    }

    static long parse(String text, String option, boolean scaled) {
        Matcher m = NUMBER.matcher(text);
        if (!m.matches() || (!scaled && !m.group(2).isEmpty())) {
            throw malformed(text, option);
        }
        BigInteger value = new BigInteger(m.group(1)).multiply(BigInteger.valueOf(scale(m.group(2), text, option)));
        if (value.compareTo(BigInteger.valueOf(ThrottleLimits.VALUE_MAX)) > 0) {
            throw new InvalidConfigException("block I/O throttle limit value must be no more than "
                    + ThrottleLimits.VALUE_MAX + " (--" + option + " " + text + ")");
        }
        return value.longValueExact();
    }

    private static long scale(String suffix, String text, String option) {
        String s = suffix.toLowerCase(Locale.ROOT);
        if (s.isEmpty() || s.equals("b") || s.equals("byte") || s.equals("bytes")) {
            return 1;
        }
        int power = UNITS.indexOf(s.charAt(0)) + 1;
        String rest = s.substring(1);
        if (power == 0 || !(rest.isEmpty() || rest.equals("ib") || rest.equals("b"))) {
            throw malformed(text, option);
        }
        long base = rest.equals("b") ? 1000 : 1024;
        long factor = 1;
        for (int i = 0; i < power; i++) {
            factor *= base;
        }
        return factor;
    }

    private static UsageException malformed(String text, String option) {
        return new UsageException("Numeric value '" + text + "' for <" + option + "> option is malformed or out of range");
    }
}
