package org.virtthrottle.plan;

import java.util.Optional;
import org.virtthrottle.model.GroupName;
import org.virtthrottle.model.Side;
import org.virtthrottle.model.ThrottleLimits;
import org.virtthrottle.qmp.QmpCommand;

/**
 * The steps of a throttle group, each with its undo: the group object in QEMU (libvirt < 11.2), and
 * libvirt 11.2+'s own group calls. Every plan makes them here.
 */
public final class GroupSteps {
    private GroupSteps() {}

    /** object-add, undone by object-del. */
    public static Step create(String group, ThrottleLimits limits) {
        String id = GroupName.qomId(group);
        return new Step(
                "create throttle group object " + id,
                new Action.Qmp(QmpCommand.objectAddThrottleGroup(id, limits)),
                new Action.Qmp(QmpCommand.objectDel(id)));
    }

    /** qom-set of the limits that differ, undone by setting them back. */
    public static Step setLimits(String group, ThrottleLimits current, ThrottleLimits wanted) {
        String id = GroupName.qomId(group);
        return new Step(
                "set limits of " + id,
                new Action.Qmp(QmpCommand.qomSetLimits(id, current, wanted)),
                new Action.Qmp(QmpCommand.qomSetLimits(id, wanted, current)));
    }

    /** object-del, undone by object-add with the limits it had. */
    public static Step delete(String group, ThrottleLimits current) {
        String id = GroupName.qomId(group);
        return new Step(
                "delete throttle group object " + id,
                new Action.Qmp(QmpCommand.objectDel(id)),
                new Action.Qmp(QmpCommand.objectAddThrottleGroup(id, current)));
    }

    /**
     * libvirt 11.2+: virDomainSetThrottleGroup on one side, undone by setting back the limits the group
     * had, or by deleting it when it is new.
     */
    public static Step nativeSet(Side side, String group, Optional<ThrottleLimits> current, ThrottleLimits wanted) {
        return new Step(
                "set throttle group " + group + " (" + side.label() + ")",
                new Action.NativeSetGroup(side, group, wanted),
                current.<Action>map(c -> new Action.NativeSetGroup(side, group, c))
                        .orElse(new Action.NativeDeleteGroup(side, group)));
    }

    /** libvirt 11.2+: virDomainDelThrottleGroup on one side, undone by setting the group again. */
    public static Step nativeDelete(Side side, String group, ThrottleLimits current) {
        return new Step(
                "delete throttle group " + group + " (" + side.label() + ")",
                new Action.NativeDeleteGroup(side, group),
                new Action.NativeSetGroup(side, group, current));
    }
}
