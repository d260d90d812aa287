package org.virtthrottle.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The rows of throttlestat's tables: per group limit, (--disks) per disk, and (--tier) per budget rate and per member. */
public final class StatTables {
    public static final List<String> GROUP_HEADERS = List.of("Group", "Limit", "Cap", "Rate", "Use", "Disks");
    public static final List<String> DISK_HEADERS =
            List.of("Target", "Throttle filters", "Read IOPS", "Write IOPS", "Read", "Write");
    public static final List<String> TIER_HEADERS = List.of("Limit", "Budget", "Rate", "Use", "Members");
    public static final List<String> MEMBER_HEADERS =
            List.of("Domain", "Group", "Limit", "Share", "Rate", "Use", "Demand");
    /** The demand column of a member whose rate reached its share's saturation. */
    public static final String BACKLOGGED = "backlogged";

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

    /** One row per rate of the tier's budget: the members' summed rate against it. */
    public static List<List<String>> tierRows(TierUsage usage) {
        List<List<String>> rows = new ArrayList<>();
        String members = Integer.toString(usage.members().size());
        for (TierUsage.Rate r : usage.rates()) {
            rows.add(List.of(
                    r.field().xmlName(),
                    Units.rate(r.field(), r.budget()),
                    Units.rate(r.field(), r.rate()),
                    use(r.percent()),
                    members));
        }
        return rows;
    }

    /**
     * One row per member and budget rate: its share (its limit in QEMU), its rate, and its demand: the
     * rate, or {@value #BACKLOGGED} when the rate reached the share's saturation (the demand is above the
     * share, unseen). An unknown share is a dash.
     */
    public static List<List<String>> memberRows(TierUsage usage) {
        List<List<String>> rows = new ArrayList<>();
        for (TierUsage.Member m : usage.members()) {
            for (TierUsage.Share s : m.shares()) {
                rows.add(List.of(
                        m.domain(),
                        m.group(),
                        s.field().xmlName(),
                        s.known() ? Units.rate(s.field(), s.share()) : "-",
                        Units.rate(s.field(), s.rate()),
                        s.percent().map(StatTables::use).orElse("-"),
                        s.demand().map(d -> Units.rate(s.field(), d)).orElse(BACKLOGGED)));
            }
        }
        return rows;
    }

    static String use(double percent) {
        return String.format(Locale.ROOT, "%4.0f%% %s", percent, Units.bar(percent, BAR_WIDTH));
    }
}
