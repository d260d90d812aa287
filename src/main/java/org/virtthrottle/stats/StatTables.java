package org.virtthrottle.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The rows of throttlestat's two tables: per group limit, and (--disks) per disk. */
public final class StatTables {
    public static final List<String> GROUP_HEADERS = List.of("Group", "Limit", "Cap", "Rate", "Use", "Disks");
    public static final List<String> DISK_HEADERS =
            List.of("Target", "Throttle filters", "Read IOPS", "Write IOPS", "Read", "Write");
    static final int BAR_WIDTH = 20;

    private StatTables() {}

    /** One row per measurable non-zero limit; a group without one gets a row of dashes. */
    public static List<List<String>> groupRows(DomainRates rates) {
        List<List<String>> rows = new ArrayList<>();
        for (GroupUsage g : rates.groups()) {
            String disks = g.disks().isEmpty() ? "-" : String.join(",", g.disks());
            if (g.limits().isEmpty()) {
                rows.add(List.of(g.group(), "-", "-", "-", "-", disks));
            }
            for (GroupUsage.Limit l : g.limits()) {
                rows.add(List.of(
                        g.group(),
                        l.field().xmlName(),
                        Units.rate(l.field(), l.limit()),
                        Units.rate(l.field(), l.rate()),
                        use(l.percent()),
                        disks));
            }
        }
        return rows;
    }

    public static List<List<String>> diskRows(DomainRates rates) {
        List<List<String>> rows = new ArrayList<>();
        for (DiskRate d : rates.disks()) {
            String chain = d.chain().isEmpty() ? "-" : String.join(",", d.chain());
            if (d.measured()) {
                rows.add(List.of(
                        d.target(),
                        chain,
                        Units.iops(d.readOps()),
                        Units.iops(d.writeOps()),
                        Units.bytesPerSecond(d.readBytes()),
                        Units.bytesPerSecond(d.writeBytes())));
            } else {
                rows.add(List.of(d.target(), chain, "(" + d.note() + ")", "-", "-", "-"));
            }
        }
        return rows;
    }

    static String use(double percent) {
        return String.format(Locale.ROOT, "%4.0f%% %s", percent, Units.bar(percent, BAR_WIDTH));
    }
}
