package org.virtthrottle.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.Collectors;
import org.virtthrottle.cli.output.Output;
import org.virtthrottle.model.Tier;
import org.virtthrottle.state.StateFile;
import picocli.CommandLine.Command;

@Command(
        name = "throttletierlist",
        description = {
            "List the host's tiers and their budgets.",
            "JSON: {\"tiers\": [{\"tier\", \"budget\": {NAME: VALUE}}]}."
        })
public final class ThrottleTierListCommand extends Subcommand {
    @Override
    public Integer call() {
        List<Tier> tiers = context().tiers().read();
        Output out = output();
        if (out.json()) {
            ObjectNode o = out.object();
            ArrayNode list = o.putArray("tiers");
            tiers.forEach(t ->
                    StateFile.putLimits(list.addObject().put("tier", t.name()).putObject("budget"), t.budget()));
            out.json(o);
        } else {
            out.table(
                    List.of("Name", "Budget"),
                    tiers.stream().map(t -> List.of(t.name(), budget(t))).toList());
        }
        return 0;
    }

    private static String budget(Tier tier) {
        return tier.budget().nonZero().entrySet().stream()
                .map(e -> e.getKey().xmlName() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }
}
