package org.virtthrottle.stats;

import java.util.Locale;
import org.virtthrottle.model.LimitField;

/** Rates for people: bytes/s in binary units ({@code 10.0 MiB/s}), IOPS in decimal ones ({@code 1.2k IOPS}). */
public final class Units {
    private static final String[] BINARY = {"B/s", "KiB/s", "MiB/s", "GiB/s", "TiB/s", "PiB/s"};
    private static final String[] DECIMAL = {"", "k", "M", "G", "T", "P"};

    private Units() {}

    public static String bytesPerSecond(double value) {
        int unit = 0;
        while (value >= 1024 && unit < BINARY.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0
                ? String.format(Locale.ROOT, "%.0f B/s", value)
                : String.format(Locale.ROOT, "%.1f %s", value, BINARY[unit]);
    }

    public static String iops(double value) {
        int unit = 0;
        while (value >= 1000 && unit < DECIMAL.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f%s IOPS", value, DECIMAL[unit]);
    }

    /** A rate of the kind the limit caps, in that kind's unit. */
    public static String rate(LimitField limit, double value) {
        return limit.family() == LimitField.Family.BYTES ? bytesPerSecond(value) : iops(value);
    }

    /** {@code [#####.....]}: the share of the limit used, full (and {@code +} at the end) at 100% and above. */
    public static String bar(double percent, int width) {
        int filled = (int) Math.round(Math.min(percent, 100) / 100 * width);
        StringBuilder b = new StringBuilder("[")
                .append("#".repeat(filled))
                .append(".".repeat(width - filled))
                .append(']');
        if (percent > 100) {
            b.setCharAt(width, '+');
        }
        return b.toString();
    }
}
