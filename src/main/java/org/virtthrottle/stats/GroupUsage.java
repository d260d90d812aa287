package org.virtthrottle.stats;

import java.util.List;
import org.virtthrottle.model.LimitField;

/** How much of a group's limits its disks use: each measurable non-zero limit with the summed rate of its disks. */
public record GroupUsage(String group, List<String> disks, List<Limit> limits) {
    public GroupUsage {
        disks = List.copyOf(disks);
        limits = List.copyOf(limits);
    }

    /** One limit and the rate of the same kind; {@code rate} in bytes/s or IOPS. */
    public record Limit(LimitField field, long limit, double rate) {
        public double percent() {
            return 100.0 * rate / limit;
        }
    }
}
