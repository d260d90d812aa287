package org.virtthrottle.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.virtthrottle.model.DomainThrottleConfig;
import org.virtthrottle.model.GroupName;
import org.virtthrottle.model.LimitsUpdate;
import org.virtthrottle.model.Side;
import org.virtthrottle.model.ThrottleGroup;
import org.virtthrottle.model.ThrottleLimits;
import org.virtthrottle.plan.Action;
import org.virtthrottle.plan.Plan;
import org.virtthrottle.plan.Step;
import org.virtthrottle.qmp.QmpCommand;

/**
 * Adds a throttle group or merge-updates an existing one. Live: {@code object-add} for a new
 * group, {@code qom-set limits} for an existing one, always with the full merged limits so QEMU
 * ends up with exactly what was validated and recorded. Live steps come first.
 */
public final class SetThrottleGroup {
    private SetThrottleGroup() {
    }

    public static Plan plan(DomainSession domain, String group, LimitsUpdate update, AffectedSides flags) {
        Set<Side> sides = flags.resolve(domain.isActive());
        GroupName.checkForConfig(group);
        if (sides.contains(Side.LIVE)) {
            GroupName.checkForLive(group);
        }
        List<Step> steps = new ArrayList<>();
        if (sides.contains(Side.LIVE)) {
            String id = GroupName.qomId(group);
            Optional<ThrottleLimits> current = domain.liveLimits(group);
            ThrottleLimits merged = update.applyTo(current.orElse(ThrottleLimits.NONE));
            steps.add(current.isEmpty()
                    ? new Step("create throttle group object " + id,
                            new Action.Qmp(QmpCommand.objectAddThrottleGroup(id, merged)),
                            new Action.Qmp(QmpCommand.objectDel(id)))
                    : new Step("set limits of " + id,
                            new Action.Qmp(QmpCommand.qomSetLimits(id, merged)),
                            new Action.Qmp(QmpCommand.qomSetLimits(id, current.get()))));
            record(domain, Side.LIVE, new ThrottleGroup(group, merged)).ifPresent(steps::add);
        }
        if (sides.contains(Side.CONFIG)) {
            ThrottleLimits current = domain.config(Side.CONFIG).group(group).map(ThrottleGroup::limits)
                    .orElse(ThrottleLimits.NONE);
            record(domain, Side.CONFIG, new ThrottleGroup(group, update.applyTo(current))).ifPresent(steps::add);
        }
        return new Plan(steps);
    }

    private static Optional<Step> record(DomainSession domain, Side side, ThrottleGroup group) {
        DomainThrottleConfig before = domain.config(side);
        return MetadataSteps.record(side, before, before.withGroup(group));
    }
}
