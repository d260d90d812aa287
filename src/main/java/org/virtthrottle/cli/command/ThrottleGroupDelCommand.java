package org.virtthrottle.cli.command;

import org.virtthrottle.app.DeleteThrottleGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        name = "throttlegroupdel",
        aliases = "domthrottlegroupdel",
        description = {
            "Delete a throttle group. Refused while any disk still uses it: in the persistent configuration "
                    + "(a disk's filter chain) for --config, in QEMU's block graph (a throttle node) for --live. A "
                    + "group that does not exist on a side being changed is an error."
        })
public final class ThrottleGroupDelCommand extends ChangingCommand {
    @Mixin
    DomainArgument domain;

    @Mixin
    GroupArgument group;

    @Mixin
    AffectOptions affect;

    @Override
    public Integer call() {
        var sides = affect.sides();
        return change(
                domain,
                "delete throttle groups",
                session -> DeleteThrottleGroup.plan(session, group.name, sides),
                "Throttle group deleted successfully");
    }
}
