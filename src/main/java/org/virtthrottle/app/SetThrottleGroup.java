package org.virtthrottle.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.virtthrottle.model.GroupName;
import org.virtthrottle.model.LimitsUpdate;
import org.virtthrottle.model.Side;
import org.virtthrottle.model.ThrottleGroup;
import org.virtthrottle.model.ThrottleLimits;
import org.virtthrottle.plan.GroupSteps;
import org.virtthrottle.plan.Plan;
import org.virtthrottle.plan.Step;
import org.virtthrottle.qmp.QmpException;

/**
 * Adds a throttle group or merge-updates an existing one. Live: {@code object-add} for a new
 * group, {@code qom-set limits} for an existing one, always with the full merged limits so QEMU
 * ends up with exactly what was validated and recorded. Live steps come first.
 *
 * <p>The live side is planned from our live record (what we last applied), which costs no QMP
 * read: one QMP command per change, as with a hand-made qom-set. When QEMU shows the record is
 * stale (the object is gone after a restart, or exists without a record), the plan is undone,
 * made again from QEMU's own values, and applied.
 */
public final class SetThrottleGroup {
    private SetThrottleGroup() {}

    public static Change plan(DomainSession domain, String group, LimitsUpdate update, AffectedSides flags) {
        Set<Side> sides = flags.resolve(domain.isActive());
        // a config group is made live when the domain starts: a name QEMU cannot take is refused everywhere
        GroupName.checkForLive(group);
        if (domain.isNative()) {
            return Change.of(nativePlan(domain, group, update, sides));
        }
        Plan fromRecord = build(domain, group, update, sides, false);
        return Change.of(fromRecord, session -> {
            try {
                session.apply(fromRecord);
            } catch (StepFailedException e) {
                if (!(e.getCause() instanceof QmpException q) || !(q.isNotFound() || q.isDuplicate())) {
                    throw e;
                }
                session.apply(build(session, group, update, sides, true));
            }
        });
    }

    /**
     * libvirt 11.2+: one virDomainSetThrottleGroup per side, live first, with the whole merged result
     * (zeros included), so libvirt ends with exactly what was validated, as on older hosts.
     */
    private static Plan nativePlan(DomainSession domain, String group, LimitsUpdate update, Set<Side> sides) {
        List<Step> steps = new ArrayList<>();
        for (Side side : List.of(Side.LIVE, Side.CONFIG)) {
            if (sides.contains(side)) {
                Optional<ThrottleLimits> current =
                        domain.config(side).group(group).map(ThrottleGroup::limits);
                ThrottleLimits merged = update.applyTo(current.orElse(ThrottleLimits.NONE));
                steps.add(GroupSteps.nativeSet(side, group, current, merged));
            }
        }
        return new Plan(steps);
    }

    /** The plan, with the live group's current limits from our record or (readQemu) from QEMU. */
    private static Plan build(
            DomainSession domain, String group, LimitsUpdate update, Set<Side> sides, boolean readQemu) {
        Optional<ThrottleLimits> current = !sides.contains(Side.LIVE)
                ? Optional.empty()
                : readQemu
                        ? domain.liveLimits(group)
                        : domain.config(Side.LIVE).group(group).map(ThrottleGroup::limits);
        ThrottleLimits merged = update.applyTo(current.orElse(ThrottleLimits.NONE));
        MetadataSteps.Records records = MetadataSteps.record(
                domain,
                sides,
                recorded -> recorded.withGroup(new ThrottleGroup(group, merged)),
                recorded -> recorded.withGroup(new ThrottleGroup(
                        group,
                        update.applyTo(
                                recorded.group(group).map(ThrottleGroup::limits).orElse(ThrottleLimits.NONE)))));
        List<Step> steps = new ArrayList<>();
        if (sides.contains(Side.LIVE)) {
            if (current.isPresent() && current.get().normalized().equals(merged.normalized())) {
                records.live().ifPresent(steps::add);
            } else if (current.isEmpty()) {
                // recorded first: reconcile creates a recorded group that a killed process did not, but
                // leaves a group it finds unrecorded alone (it may not be ours)
                records.live().ifPresent(steps::add);
                steps.add(GroupSteps.create(group, merged));
            } else {
                steps.add(GroupSteps.setLimits(group, current.get(), merged));
                records.live().ifPresent(steps::add);
            }
        }
        records.config().ifPresent(steps::add);
        return new Plan(steps);
    }
}
