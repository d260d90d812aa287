package org.virtthrottle.stats;

import java.util.List;
import org.virtthrottle.model.LimitField;

/**
 * A disk's measured rates between two samples (per second), with its filter chain (image side first).
 * When {@code note} is set the disk has no rate this time ({@code "detached"}, {@code "counters reset"},
 * {@code "new"}) and counts for nothing: never a negative or made-up rate.
 */
public record DiskRate(
        String target,
        List<String> chain,
        double readOps,
        double writeOps,
        double readBytes,
        double writeBytes,
        String note) {
    /** The limits a rate can be measured for: the averages of bytes and IOPS, total, read and write. */
    public static final List<LimitField> MEASURED = List.of(
            LimitField.TOTAL_BYTES_SEC,
            LimitField.READ_BYTES_SEC,
            LimitField.WRITE_BYTES_SEC,
            LimitField.TOTAL_IOPS_SEC,
            LimitField.READ_IOPS_SEC,
            LimitField.WRITE_IOPS_SEC);

    public DiskRate {
        chain = List.copyOf(chain);
    }

    static DiskRate unmeasured(String target, List<String> chain, String note) {
        return new DiskRate(target, chain, 0, 0, 0, 0, note);
    }

    /** The rates from {@code before} to {@code after}; none (noted) for a new disk or counters that went back. */
    public static DiskRate between(
            String target, List<String> chain, DiskCounters before, DiskCounters after, double seconds) {
        if (before == null) {
            return unmeasured(target, chain, "new");
        }
        if (after.wentBackFrom(before)) {
            return unmeasured(target, chain, "counters reset");
        }
        return new DiskRate(
                target,
                chain,
                (after.readOps() - before.readOps()) / seconds,
                (after.writeOps() - before.writeOps()) / seconds,
                (after.readBytes() - before.readBytes()) / seconds,
                (after.writeBytes() - before.writeBytes()) / seconds,
                null);
    }

    public boolean measured() {
        return note == null;
    }

    /** The rate of the kind the limit caps (one of {@link #MEASURED}). */
    public double rate(LimitField limit) {
        return switch (limit) {
            case TOTAL_BYTES_SEC -> readBytes + writeBytes;
            case READ_BYTES_SEC -> readBytes;
            case WRITE_BYTES_SEC -> writeBytes;
            case TOTAL_IOPS_SEC -> readOps + writeOps;
            case READ_IOPS_SEC -> readOps;
            case WRITE_IOPS_SEC -> writeOps;
            default -> throw new IllegalArgumentException("no rate is measured for " + limit.xmlName());
        };
    }
}
