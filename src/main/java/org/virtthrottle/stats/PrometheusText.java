package org.virtthrottle.stats;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.virtthrottle.model.DomainThrottleConfig;
import org.virtthrottle.model.FilterChain;
import org.virtthrottle.model.ThrottleGroup;

/**
 * A snapshot in the Prometheus text exposition format (version 0.0.4): each disk's raw counters,
 * each group's non-zero limits, and which disk sits behind which group, so that PromQL's
 * {@code rate()} gives throttlestat's numbers; and (--tier) a tier's budget, shares and rates over one sample.
 */
public final class PrometheusText {
    /** One running domain: its counters and its throttle config (groups and chains). */
    public record Domain(DomainCounters counters, DomainThrottleConfig config) {}

    private record Counter(String name, String help, ToLongFunction<DiskCounters> value) {}

    private static final List<Counter> COUNTERS = List.of(
            new Counter(
                    "virt_throttle_disk_read_ops_total",
                    "Read requests the disk completed (libvirt block stats rd.reqs).",
                    DiskCounters::readOps),
            new Counter(
                    "virt_throttle_disk_read_bytes_total",
                    "Bytes the disk read (libvirt block stats rd.bytes).",
                    DiskCounters::readBytes),
            new Counter(
                    "virt_throttle_disk_write_ops_total",
                    "Write requests the disk completed (libvirt block stats wr.reqs).",
                    DiskCounters::writeOps),
            new Counter(
                    "virt_throttle_disk_write_bytes_total",
                    "Bytes the disk wrote (libvirt block stats wr.bytes).",
                    DiskCounters::writeBytes));

    private PrometheusText() {}

    public static String render(List<Domain> domains) {
        StringBuilder b = new StringBuilder();
        for (Counter c : COUNTERS) {
            header(b, c.name(), c.help(), "counter");
            for (Domain d : domains) {
                d.counters()
                        .disks()
                        .forEach((disk, counters) -> sample(
                                b,
                                c.name(),
                                labels("domain", d.counters().domain(), "disk", disk),
                                c.value().applyAsLong(counters)));
            }
        }
        header(
                b,
                "virt_throttle_group_limit",
                "A throttle group's non-zero limit: bytes/s, IOPS, bytes, "
                        + "or seconds (*_max_length), as the limit label (libvirt's name) says.",
                "gauge");
        for (Domain d : domains) {
            for (ThrottleGroup g : d.config().groups()) {
                g.limits()
                        .nonZero()
                        .forEach((field, value) -> sample(
                                b,
                                "virt_throttle_group_limit",
                                labels("domain", d.counters().domain(), "group", g.name(), "limit", field.xmlName()),
                                value));
            }
        }
        header(
                b,
                "virt_throttle_disk_group_info",
                "The disk's I/O goes through the group's throttle filter; " + "position 0 is nearest the image.",
                "gauge");
        for (Domain d : domains) {
            for (Map.Entry<String, FilterChain> e : d.config().chains().entrySet()) {
                List<String> groups = e.getValue().groups();
                for (int i = 0; i < groups.size(); i++) {
                    sample(
                            b,
                            "virt_throttle_disk_group_info",
                            labels(
                                    "domain",
                                    d.counters().domain(),
                                    "disk",
                                    e.getKey(),
                                    "group",
                                    groups.get(i),
                                    "position",
                                    Integer.toString(i)),
                            1);
                }
            }
        }
        return b.toString();
    }

    private static void header(StringBuilder b, String name, String help, String type) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder b, String name, String labels, long value) {
        sample(b, name, labels, Long.toString(value));
    }

    private static void sample(StringBuilder b, String name, String labels, String value) {
        b.append(name).append(labels).append(' ').append(value).append('\n');
    }

    /** A rate to the thousandth, without trailing zeros ({@code 10.25}, {@code 0}). */
    static String decimal(double value) {
        return BigDecimal.valueOf(value)
                .setScale(3, RoundingMode.HALF_EVEN)
                .stripTrailingZeros()
                .toPlainString();
    }

    /**
     * A tier over one sample: its budget, the members' summed rate, and per member group its share (its
     * limit in QEMU; none when unknown), its rate and whether it is backlogged; the {@code rate} label
     * names the budget's rate as libvirt names the limit.
     */
    public static String renderTier(TierUsage usage) {
        StringBuilder b = new StringBuilder();
        String tier = usage.tier();
        header(
                b,
                "virt_throttle_tier_budget",
                "The tier's budget for the rate, shared by its member groups on this host: bytes/s or IOPS, "
                        + "as the rate label (libvirt's name) says.",
                "gauge");
        usage.rates()
                .forEach(r -> sample(
                        b,
                        "virt_throttle_tier_budget",
                        labels("tier", tier, "rate", r.field().xmlName()),
                        r.budget()));
        header(
                b,
                "virt_throttle_tier_rate",
                "The tier's rate over the sample: the sum of its running member groups' rates.",
                "gauge");
        usage.rates()
                .forEach(r -> sample(
                        b,
                        "virt_throttle_tier_rate",
                        labels("tier", tier, "rate", r.field().xmlName()),
                        decimal(r.rate())));
        header(
                b,
                "virt_throttle_tier_member_share",
                "The member group's share of the tier's rate: its limit in QEMU at the sample.",
                "gauge");
        for (TierUsage.Member m : usage.members()) {
            m.shares().stream()
                    .filter(TierUsage.Share::known)
                    .forEach(s -> sample(b, "virt_throttle_tier_member_share", memberLabels(tier, m, s), s.share()));
        }
        header(
                b,
                "virt_throttle_tier_member_rate",
                "The member group's rate over the sample: the sum over the disks whose filter chain uses the group.",
                "gauge");
        for (TierUsage.Member m : usage.members()) {
            m.shares()
                    .forEach(s ->
                            sample(b, "virt_throttle_tier_member_rate", memberLabels(tier, m, s), decimal(s.rate())));
        }
        header(
                b,
                "virt_throttle_tier_member_backlogged",
                "1 when the member group's rate reached " + Math.round(TierUsage.SATURATION * 100)
                        + "% of its share: its demand is above its share, unseen.",
                "gauge");
        for (TierUsage.Member m : usage.members()) {
            m.shares().stream()
                    .filter(TierUsage.Share::known)
                    .forEach(s -> sample(
                            b,
                            "virt_throttle_tier_member_backlogged",
                            memberLabels(tier, m, s),
                            s.backlogged() ? 1 : 0));
        }
        return b.toString();
    }

    private static String memberLabels(String tier, TierUsage.Member m, TierUsage.Share s) {
        return labels(
                "tier",
                tier,
                "domain",
                m.domain(),
                "group",
                m.group(),
                "rate",
                s.field().xmlName());
    }

    private static String labels(String... namesAndValues) {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (i > 0) {
                b.append(',');
            }
            b.append(namesAndValues[i])
                    .append("=\"")
                    .append(escape(namesAndValues[i + 1]))
                    .append('"');
        }
        return b.append('}').toString();
    }

    /** Label values escape backslash, double quote and line feed. */
    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
