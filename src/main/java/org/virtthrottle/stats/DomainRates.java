package org.virtthrottle.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.virtthrottle.model.DomainThrottleConfig;
import org.virtthrottle.model.FilterChain;
import org.virtthrottle.model.LimitField;
import org.virtthrottle.model.ThrottleGroup;

/**
 * One domain's rates between two samples, mapped onto its throttle groups: a disk counts for every
 * group of its chain. {@code notes} say what made a disk or the domain unmeasurable this time.
 */
public record DomainRates(
        String domain, double seconds, List<GroupUsage> groups, List<DiskRate> disks, List<String> notes) {
    public DomainRates {
        groups = List.copyOf(groups);
        disks = List.copyOf(disks);
        notes = List.copyOf(notes);
    }

    /**
     * @param groups the groups to report (in this order); empty for all of the config's. One the
     *     config no longer has (deleted between two samples) gets a note.
     */
    public static DomainRates between(
            DomainThrottleConfig config, DomainCounters before, DomainCounters after, List<String> groups) {
        double seconds = (after.nanos() - before.nanos()) / 1e9;
        List<String> notes = new ArrayList<>();
        if (!after.running()) {
            notes.add("shut off");
        } else if (!before.running()) {
            notes.add("started");
        } else if (before.id() != after.id()) {
            notes.add("restarted");
        }
        boolean sameQemu = before.id() == after.id();
        Map<String, FilterChain> chains = config.chains();
        List<DiskRate> disks = new ArrayList<>();
        after.disks().forEach((target, counters) -> {
            DiskCounters earlier = before.disks().get(target);
            // a new QEMU counts from 0 again, even where its counters are higher already
            disks.add(
                    sameQemu || earlier == null
                            ? DiskRate.between(target, chainOf(chains, target), earlier, counters, seconds)
                            : DiskRate.unmeasured(target, chainOf(chains, target), "counters reset"));
        });
        if (after.running()) {
            before.disks().keySet().stream()
                    .filter(t -> !after.disks().containsKey(t))
                    .forEach(t -> disks.add(DiskRate.unmeasured(t, chainOf(chains, t), "detached")));
        }
        disks.stream().filter(d -> !d.measured()).forEach(d -> notes.add(d.target() + ": " + d.note()));

        List<GroupUsage> usage = new ArrayList<>();
        for (String missing : groups) {
            if (config.group(missing).isEmpty()) {
                notes.add("group " + missing + ": gone");
            }
        }
        for (ThrottleGroup group : selected(config, groups)) {
            List<DiskRate> feeding =
                    disks.stream().filter(d -> d.chain().contains(group.name())).toList();
            List<GroupUsage.Limit> limits = new ArrayList<>();
            for (LimitField field : DiskRate.MEASURED) {
                long limit = group.limits().get(field);
                if (limit > 0) {
                    limits.add(new GroupUsage.Limit(
                            field,
                            limit,
                            feeding.stream().mapToDouble(d -> d.rate(field)).sum()));
                }
            }
            usage.add(new GroupUsage(
                    group.name(), feeding.stream().map(DiskRate::target).toList(), limits));
        }
        List<DiskRate> shown = groups.isEmpty()
                ? disks
                : disks.stream()
                        .filter(d -> d.chain().stream().anyMatch(groups::contains))
                        .toList();
        return new DomainRates(after.domain(), seconds, usage, shown, notes);
    }

    private static List<String> chainOf(Map<String, FilterChain> chains, String target) {
        return chains.getOrDefault(target, FilterChain.NONE).groups();
    }

    private static List<ThrottleGroup> selected(DomainThrottleConfig config, List<String> groups) {
        if (groups.isEmpty()) {
            return config.groups();
        }
        return groups.stream().flatMap(g -> config.group(g).stream()).toList();
    }
}
