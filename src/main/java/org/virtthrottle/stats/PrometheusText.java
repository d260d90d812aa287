package org.virtthrottle.stats;

import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.virtthrottle.model.DomainThrottleConfig;
import org.virtthrottle.model.FilterChain;
import org.virtthrottle.model.ThrottleGroup;

/**
 * A snapshot in the Prometheus text exposition format (version 0.0.4): each disk's raw counters,
 * each group's non-zero limits, and which disk sits behind which group, so that PromQL's
 * {@code rate()} gives throttlestat's numbers.
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
        b.append(name).append(labels).append(' ').append(value).append('\n');
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
