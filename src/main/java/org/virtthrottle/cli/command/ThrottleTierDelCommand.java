package org.virtthrottle.cli.command;

import org.virtthrottle.app.DeleteTier;
import org.virtthrottle.app.TierFile;
import org.virtthrottle.app.TierMembers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        name = "throttletierdel",
        description = {
            "Remove a tier from the host's tier budgets; a tier with member groups (in any domain's live record or "
                    + "config) is refused.",
            "JSON: {\"file\", \"tier\", \"result\"} or, with --dry-run, "
                    + "{\"file\", \"dry_run\": true, \"tiers\": {NAME: {NAME: VALUE}}}."
        })
public final class ThrottleTierDelCommand extends ChangingCommand {
    @Mixin
    TierArgument tier;

    @Override
    public Integer call() {
        TierFile file = context().tiers();
        try (TierFile.Lock lock = file.lock()) {
            return changeTiers(
                    file,
                    DeleteTier.plan(
                            file.read(), tier.name(), TierMembers.all(context().sessions(), false)),
                    "Tier deleted successfully",
                    o -> o.put("tier", tier.name()));
        }
    }
}
