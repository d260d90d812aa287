package org.virtthrottle.cli.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.virtthrottle.cli.output.Output;
import org.virtthrottle.model.Tier;
import org.virtthrottle.state.StateFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        name = "throttletierinfo",
        description = {
            "Show a tier's budget (its non-zero rates) from the host's tier budgets.",
            "JSON: {\"tier\", \"budget\": {NAME: VALUE}}."
        })
public final class ThrottleTierInfoCommand extends Subcommand {
    @Mixin
    TierArgument tier;

    @Override
    public Integer call() {
        Tier t = context().tiers().find(tier.name()).orElseThrow(() -> Tier.notFound(tier.name()));
        Output out = output();
        if (out.json()) {
            ObjectNode o = out.object();
            StateFile.putLimits(o.put("tier", t.name()).putObject("budget"), t.budget());
            out.json(o);
        } else {
            t.budget().nonZero().forEach((f, v) -> out.line(Output.padded(f.xmlName(), 15) + ": " + v));
        }
        return 0;
    }
}
