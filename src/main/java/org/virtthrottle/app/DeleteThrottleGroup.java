package org.virtthrottle.app;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.model.DomainThrottleConfig;
import org.virtthrottle.model.GroupName;
import org.virtthrottle.model.InvalidConfigException;
import org.virtthrottle.model.Side;
import org.virtthrottle.model.ThrottleGroup;
import org.virtthrottle.model.ThrottleLimits;
import org.virtthrottle.plan.GroupSteps;
import org.virtthrottle.plan.Plan;
import org.virtthrottle.plan.Step;
import org.virtthrottle.qmp.LiveGraph;
import org.virtthrottle.qmp.QmpException;
import org.virtthrottle.xml.DiskInfo;

/**
 * Deletes a throttle group. Refused while any disk references it on a side being changed: in the
 * config, a disk's recorded filter chain; live, any throttle node in QEMU's graph using the group.
 * The config is checked before the first change; live, QEMU itself refuses object-del while a node
 * uses the group (no window between check and delete), and only then is the graph read to name
 * the disks. So a live delete costs one QMP command.
 */
public final class DeleteThrottleGroup {
    private DeleteThrottleGroup() {}

    public static Change plan(DomainSession domain, String group, AffectedSides flags) {
        Set<Side> sides = flags.resolve(domain.isActive());
        GroupName.checkForConfig(group);
        if (domain.isNative()) {
            return Change.of(nativePlan(domain, group, sides));
        }
        List<Step> steps = new ArrayList<>();
        MetadataSteps.Records records =
                MetadataSteps.record(domain, sides, r -> r.withoutGroup(group), r -> r.withoutGroup(group));
        if (sides.contains(Side.LIVE)) {
            steps.addAll(liveSteps(domain, group));
            records.live().ifPresent(steps::add);
        }
        if (sides.contains(Side.CONFIG)) {
            DomainThrottleConfig config = domain.config(Side.CONFIG);
            if (config.group(group).isEmpty()) {
                throw new VirtThrottleException(NotFound.message(group, Side.CONFIG));
            }
            List<String> users = config.disksUsing(group);
            if (!users.isEmpty()) {
                throw stillUsed(group, "disk " + String.join(", ", users));
            }
            records.config().ifPresent(steps::add);
        }
        Plan plan = new Plan(steps);
        return Change.of(plan, session -> {
            try {
                session.apply(plan);
            } catch (StepFailedException e) {
                if (e.getCause() instanceof QmpException q && q.command().equals("object-del")) {
                    if (q.isInUse()) {
                        throw stillUsed(
                                group,
                                describeUsers(session, session.liveGraph().throttleNodesUsing(GroupName.qomId(group))));
                    }
                    if (q.isNotFound()) {
                        throw new VirtThrottleException(NotFound.message(group, Side.LIVE));
                    }
                }
                throw e;
            }
        });
    }

    /**
     * libvirt 11.2+: its XML says which disks use a group on each side; every check first, then one
     * virDomainDelThrottleGroup per side, live first.
     */
    private static Plan nativePlan(DomainSession domain, String group, Set<Side> sides) {
        List<Step> steps = new ArrayList<>();
        for (Side side : List.of(Side.LIVE, Side.CONFIG)) {
            if (!sides.contains(side)) {
                continue;
            }
            DomainThrottleConfig config = domain.config(side);
            ThrottleLimits current = config.group(group)
                    .map(ThrottleGroup::limits)
                    .orElseThrow(() -> new VirtThrottleException(NotFound.message(group, side)));
            List<String> users = config.disksUsing(group);
            if (!users.isEmpty()) {
                throw stillUsed(group, "disk " + String.join(", ", users));
            }
            steps.add(GroupSteps.nativeDelete(side, group, current));
            // a deleted group leaves its tier
            MetadataSteps.recordMembership(domain, side, c -> c.withTier(group, ""))
                    .ifPresent(steps::add);
        }
        return new Plan(steps);
    }

    /** object-del (before the record: a group found unrecorded reconcile leaves alone), undone by object-add with the limits we recorded (or QEMU has, without a record). */
    private static List<Step> liveSteps(DomainSession domain, String group) {
        DomainThrottleConfig recorded = domain.config(Side.LIVE);
        ThrottleLimits current = recorded.group(group)
                .map(ThrottleGroup::limits)
                .or(() -> domain.liveLimits(group))
                .orElseThrow(() -> new VirtThrottleException(NotFound.message(group, Side.LIVE)));
        List<Step> steps = new ArrayList<>();
        steps.add(GroupSteps.delete(group, current));
        return steps;
    }

    /** The users in the domain's disk order, then devices and nodes no disk accounts for. */
    private static String describeUsers(DomainSession domain, Map<LiveGraph.BlockNode, LiveGraph.Device> users) {
        Set<String> aliases = new LinkedHashSet<>();
        List<String> orphans = new ArrayList<>();
        users.forEach((node, device) -> {
            if (device == null) {
                orphans.add("block node " + node.name());
            } else {
                aliases.add(device.alias());
            }
        });
        List<String> names = new ArrayList<>();
        for (DiskInfo disk : domain.xml(Side.LIVE).disks()) {
            if (disk.alias() != null && aliases.remove(disk.alias())) {
                names.add("disk " + disk.target());
            }
        }
        aliases.forEach(alias -> names.add("device " + alias));
        names.addAll(orphans);
        return String.join(", ", names);
    }

    /** libvirt's words (it names the first disk; all of them here). */
    private static VirtThrottleException stillUsed(String group, String users) {
        return new InvalidConfigException(
                InvalidConfigException.Kind.INVALID_ARGUMENT,
                "throttle group '" + group + "' is still being used by " + users);
    }
}
