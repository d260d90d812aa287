package org.virtthrottle.cli.command;

import org.virtthrottle.app.SetFilterChain;
import org.virtthrottle.cli.completion.CompletedWith;
import org.virtthrottle.model.FilterChain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "throttlefilterset",
        description = {
            "Set the throttle filter chain of an attached disk. Upstream can only attach a disk with "
                    + "one. Live, without detaching: the unchanged bottom of the chain stays, the rest is rebuilt "
                    + "above it and the device is switched over in one step.",
            "Disks whose I/O runs in an IOThread "
                    + "get their filters the IOThread way (built over a placeholder, moved into the IOThread, then "
                    + "reopened over their child), which QEMU needs not to crash. An empty GROUPS (\"\") removes "
                    + "the disk's throttling."
        })
public final class ThrottleFilterSetCommand extends ChangingCommand {
    @Mixin
    DomainArgument domain;

    @NamedForm("target")
    @CompletedWith(CompletedWith.Names.TARGET)
    @Parameters(index = "1", paramLabel = "TARGET", description = "target of disk device")
    String target;

    @NamedForm(value = "throttle-groups", emptyAllowed = true)
    @CompletedWith(CompletedWith.Names.GROUP_LIST)
    @Parameters(
            index = "2",
            paramLabel = "GROUPS",
            description = "comma separated throttle groups, image side first; \"\" for none")
    String groups;

    @Mixin
    AffectOptions affect;

    @picocli.CommandLine.Option(
            names = "--force-reattach",
            description =
                    "on libvirt 11.2+, which cannot change an attached disk's "
                            + "filters: detach the disk and attach it again with the new ones (the guest sees it go and come back)")
    boolean forceReattach;

    @Override
    public Integer call() {
        var sides = affect.sides();
        FilterChain chain = groups.isEmpty() ? FilterChain.NONE : GroupList.parse(groups, "GROUPS");
        return change(
                domain,
                "change filter chains",
                session -> SetFilterChain.plan(session, target, chain, sides, forceReattach),
                "Throttle filters set successfully");
    }
}
