package org.virtthrottle.cli.command;

import org.virtthrottle.app.DeleteThrottleGroup;
import org.virtthrottle.app.DomainSession;
import org.virtthrottle.cli.completion.CompletedWith;
import org.virtthrottle.cli.output.PlanOutput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "throttlegroupdel", aliases = "domthrottlegroupdel",
        description = {
            "Delete a throttle group. Refused while any disk still uses it: in the persistent configuration "
                    + "(a disk's filter chain) for --config, in QEMU's block graph (a throttle node) for --live. A "
                    + "group that does not exist on a side being changed is an error."
        })
public final class ThrottleGroupDelCommand extends ChangingCommand {
    @NamedForm("domain")
    @CompletedWith(CompletedWith.Names.DOMAIN)
    @Parameters(index = "0", paramLabel = "DOMAIN", description = "domain name, id or uuid")
    String domain;

    @NamedForm("group-name")
    @CompletedWith(CompletedWith.Names.GROUP)
    @Parameters(index = "1", paramLabel = "GROUP", description = "throttle group name")
    String group;

    @Mixin
    AffectOptions affect;

    @Override
    public Integer call() {
        var sides = affect.sides();
        DomainSession session = domain(domain, "delete throttle groups");
        return PlanOutput.applyOrPrint(this, session, DeleteThrottleGroup.plan(session, group, sides),
                "Throttle group deleted successfully");
    }
}
