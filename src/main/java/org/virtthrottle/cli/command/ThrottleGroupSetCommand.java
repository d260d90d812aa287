package org.virtthrottle.cli.command;

import java.util.Optional;
import org.virtthrottle.app.SetThrottleGroup;
import org.virtthrottle.app.TierMembers;
import org.virtthrottle.cli.completion.CompletedWith;
import org.virtthrottle.cli.output.HelpText;
import org.virtthrottle.model.Tier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "throttlegroupset",
        aliases = "domthrottlegroupset",
        description = {
            "Add a throttle group, or update an existing one. Limits not given keep their values, except "
                    + "that giving any of total/read/write of one kind (bytes, iops, bytes max, iops max, ...) "
                    + "replaces that kind as a whole, as virsh blkdeviotune does; 0 removes a limit. Bytes take scaled "
                    + "integers (10M = 10485760, 1G, 1GiB, 500KB = 500000).",
            "Live: the QEMU object throttle-GROUP is created (object-add) or updated (qom-set limits).",
            "--tier TIER makes the group a member of a host tier (see throttletierset), --tier '' makes it leave: "
                    + "a member's rates that the tier divides are set live by the watch service to its share of the "
                    + "budget (its own limits cap the share); it joins at its floor (10 IOPS, 1 MiB/s) and leaves "
                    + "with its own limits back. Membership is kept with the group, live and/or in the config."
        })
public final class ThrottleGroupSetCommand extends ChangingCommand {
    @Mixin
    DomainArgument domain;

    @Mixin
    GroupArgument group;

    @Mixin
    AffectOptions affect;

    @Option(
            names = "--tier",
            order = HelpText.LAST_OPTION - 1,
            paramLabel = "TIER",
            description = "make the group a member of this tier ('' leaves its tier)")
    @EmptyAllowed
    @CompletedWith(CompletedWith.Names.TIER)
    String tier;

    final LimitOptions limits = new LimitOptions();

    @Spec
    void spec(CommandSpec spec) {
        limits.addTo(spec);
    }

    /** The tier must exist and its budget give every member, this group included, its floor. */
    private void checkRoomFor(String name) {
        Tier.checkName(name);
        Tier t = context().tiers().find(name).orElseThrow(() -> Tier.notFound(name));
        long others = TierMembers.of(name, TierMembers.all(context().sessions(), false)).stream()
                .filter(m -> !(m.domain().equals(domain.name()) && m.group().equals(group.name)))
                .count();
        t.checkFloors((int) others + 1);
    }

    /** virsh's line when virDomainSetThrottleGroup fails, before libvirt's own. */
    static final String FAILED = "Unable to set throttle group";

    @Override
    public Integer call() {
        // a value libvirt refuses (above 1e15) is refused in its call, so virsh heads it too
        var update = FailedCall.headed(FAILED, limits::update);
        var sides = affect.sides();
        Optional<String> membership = Optional.ofNullable(tier);
        membership.filter(t -> !t.isEmpty()).ifPresent(this::checkRoomFor);
        return change(
                domain,
                "change throttle groups",
                session -> SetThrottleGroup.plan(session, group.name, update, membership, sides),
                "Throttle group set successfully",
                FAILED);
    }
}
