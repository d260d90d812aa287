package org.virtthrottle.plan;

import org.virtthrottle.model.GroupName;
import org.virtthrottle.model.ThrottleLimits;
import org.virtthrottle.qmp.QmpCommand;

/** The live steps of a throttle group object in QEMU, each with its undo: every plan makes them here. */
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
}
