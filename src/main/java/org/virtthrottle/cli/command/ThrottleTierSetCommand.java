package org.virtthrottle.cli.command;

import org.virtthrottle.app.SetTier;
import org.virtthrottle.app.TierFile;
import org.virtthrottle.app.TierMembers;
import org.virtthrottle.state.StateFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
        name = "throttletierset",
        description = {
            "Add a tier to the host's tier budgets, or change its budget: a host-wide limit meant to be shared "
                    + "by throttle groups of several domains. A budget takes the six rates only; limits not given "
                    + "keep their values, giving any of total/read/write of bytes or iops replaces that kind as a "
                    + "whole, 0 removes a limit, as throttlegroupset does.",
            "Groups join with throttlegroupset --tier; watch --all divides the budget among them. A budget must give "
                    + "each member group at least its floor: 10 IOPS and 1 MiB/s per rate.",
            "The budgets are kept in /etc/virt-throttle/tiers.yaml ($VIRT_THROTTLE_TIERS names another file), "
                    + "which must belong to the user running virt-throttle and be writable by no one else.",
            "JSON: {\"file\", \"tier\", \"budget\": {NAME: VALUE}, \"result\"} or, with --dry-run, "
                    + "{\"file\", \"dry_run\": true, \"tiers\": {NAME: {NAME: VALUE}}}."
        })
public final class ThrottleTierSetCommand extends ChangingCommand {
    @Mixin
    TierArgument tier;

    final LimitOptions limits = LimitOptions.rates();

    @Spec
    void spec(CommandSpec spec) {
        limits.addTo(spec);
    }

    @Override
    public Integer call() {
        var update = limits.update();
        TierFile file = context().tiers();
        try (TierFile.Lock lock = file.lock()) {
            SetTier.Result result = SetTier.plan(file.read(), tier.name(), update);
            if (!result.added()) {
                result.tier()
                        .checkFloors(TierMembers.of(
                                        tier.name(), TierMembers.all(context().sessions(), false))
                                .size());
            }
            return changeTiers(
                    file,
                    result.tiers(),
                    result.added() ? "Tier added successfully" : "Tier set successfully",
                    o -> StateFile.putLimits(
                            o.put("tier", result.tier().name()).putObject("budget"),
                            result.tier().budget()));
        }
    }
}
