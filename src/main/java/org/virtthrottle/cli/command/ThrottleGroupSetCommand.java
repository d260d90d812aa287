package org.virtthrottle.cli.command;

import org.virtthrottle.app.SetThrottleGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
        name = "throttlegroupset",
        aliases = "domthrottlegroupset",
        description = {
            "Add a throttle group, or update an existing one. Limits not given keep their values, except "
                    + "that giving any of total/read/write of one kind (bytes, iops, bytes max, iops max, ...) "
                    + "replaces that kind as a whole, as virsh blkdeviotune does; 0 removes a limit. Bytes take scaled "
                    + "integers (10M = 10485760, 1G, 1GiB, 500KB = 500000).",
            "Live: the QEMU object throttle-GROUP is created (object-add) or updated (qom-set limits)."
        })
public final class ThrottleGroupSetCommand extends ChangingCommand {
    @Mixin
    DomainArgument domain;

    @Mixin
    GroupArgument group;

    @Mixin
    AffectOptions affect;

    final LimitOptions limits = new LimitOptions();

    @Spec
    void spec(CommandSpec spec) {
        limits.addTo(spec);
    }

    /** virsh's line when virDomainSetThrottleGroup fails, before libvirt's own. */
    static final String FAILED = "Unable to set throttle group";

    @Override
    public Integer call() {
        // a value libvirt refuses (above 1e15) is refused in its call, so virsh heads it too
        var update = FailedCall.headed(FAILED, limits::update);
        var sides = affect.sides();
        return change(
                domain,
                "change throttle groups",
                session -> SetThrottleGroup.plan(session, group.name, update, sides),
                "Throttle group set successfully",
                FAILED);
    }
}
