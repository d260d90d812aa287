package org.virtthrottle.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.virtthrottle.app.TierMembers;
import org.virtthrottle.cli.output.Output;
import org.virtthrottle.model.LimitField;
import org.virtthrottle.model.Tier;
import org.virtthrottle.state.StateFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        name = "throttletierinfo",
        description = {
            "Show a tier's budget (its non-zero rates) and its member groups on this host, if any: a running "
                    + "domain's share of each rate is its group's limit in QEMU now; a shut-off domain's member has "
                    + "none (-).",
            "JSON: {\"tier\", \"budget\": {NAME: VALUE}, \"members\": [{\"domain\", \"group\", \"running\", "
                    + "\"share\": {NAME: VALUE}}]}."
        })
public final class ThrottleTierInfoCommand extends Subcommand {
    @Mixin
    TierArgument tier;

    @Override
    public Integer call() {
        Tier t = context().tiers().find(tier.name()).orElseThrow(() -> Tier.notFound(tier.name()));
        List<TierMembers.Member> members =
                TierMembers.of(t.name(), TierMembers.all(context().sessions(), true));
        List<LimitField> rates = List.copyOf(t.budget().nonZero().keySet());
        Output out = output();
        if (out.json()) {
            ObjectNode o = out.object();
            StateFile.putLimits(o.put("tier", t.name()).putObject("budget"), t.budget());
            ArrayNode list = o.putArray("members");
            for (TierMembers.Member m : members) {
                ObjectNode member = list.addObject()
                        .put("domain", m.domain())
                        .put("group", m.group())
                        .put("running", m.running());
                ObjectNode share = member.putObject("share");
                m.live().ifPresent(live -> rates.forEach(r -> share.put(r.xmlName(), live.get(r))));
            }
            out.json(o);
            return 0;
        }
        t.budget().nonZero().forEach((f, v) -> out.line(Output.padded(f.xmlName(), 15) + ": " + v));
        if (members.isEmpty()) {
            return 0;
        }
        out.line("");
        List<String> headers = new ArrayList<>(List.of("Domain", "Group", "State"));
        rates.forEach(r -> headers.add(r.xmlName()));
        List<List<String>> rows = new ArrayList<>();
        for (TierMembers.Member m : members) {
            List<String> row = new ArrayList<>(List.of(m.domain(), m.group(), m.running() ? "running" : "shut off"));
            rates.forEach(r ->
                    row.add(m.live().map(live -> Long.toString(live.get(r))).orElse("-")));
            rows.add(row);
        }
        out.table(headers, rows);
        return 0;
    }
}
