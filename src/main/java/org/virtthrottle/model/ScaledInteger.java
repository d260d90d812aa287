package org.virtthrottle.model;

import java.math.BigInteger;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Limit values as virsh reads them: plain non-negative integers, and for byte quantities an
 * optional scale suffix (K/KiB = 1024, KB = 1000, M/MiB, MB, G/GiB, GB, T, P, E; b/byte/bytes = 1).
 * Shared by the command line and the desired-state files of apply.
 */
public final class ScaledInteger {
    private static final Pattern NUMBER = Pattern.compile("(\\d+)([A-Za-z]*)");
    private static final String UNITS = "kmgtpe";

    private ScaledInteger() {}

    /**
     * The value, or empty when the text is no such number (callers word that error their way).
     *
     * @throws InvalidConfigException in libvirt's words for one above {@link ThrottleLimits#VALUE_MAX}
     */
    public static OptionalLong parse(String text, boolean scaled) {
        Matcher m = NUMBER.matcher(text);
        if (!m.matches() || (!scaled && !m.group(2).isEmpty())) {
            return OptionalLong.empty();
        }
        long factor = scale(m.group(2));
        if (factor == 0) {
            return OptionalLong.empty();
        }
        BigInteger value = new BigInteger(m.group(1)).multiply(BigInteger.valueOf(factor));
        if (value.compareTo(BigInteger.valueOf(ThrottleLimits.VALUE_MAX)) > 0) {
            throw InvalidConfigException.tooHigh();
        }
        return OptionalLong.of(value.longValueExact());
    }

    /** The factor of a suffix, 0 for one that is not a unit. */
    private static long scale(String suffix) {
        String s = suffix.toLowerCase(Locale.ROOT);
        if (s.isEmpty() || s.equals("b") || s.equals("byte") || s.equals("bytes")) {
            return 1;
        }
        int power = UNITS.indexOf(s.charAt(0)) + 1;
        String rest = s.substring(1);
        if (power == 0 || !(rest.isEmpty() || rest.equals("ib") || rest.equals("b"))) {
            return 0;
        }
        long base = rest.equals("b") ? 1000 : 1024;
        long factor = 1;
        for (int i = 0; i < power; i++) {
            factor *= base;
        }
        return factor;
    }
}
