package org.virtthrottle.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.virtthrottle.app.Hypervisor.DomainSummary;
import org.virtthrottle.cli.output.Output;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "list",
        description = {
            "List domains, as virsh list does.",
            "JSON: {\"domains\": [{\"id\": N|null, \"name\", \"state\"}]}."
        })
public final class ListDomainsCommand extends Subcommand {
    @Option(names = "--all", description = "list inactive and active domains")
    boolean all;

    @Option(names = "--name", description = "list domain names only")
    boolean nameOnly;

    @Override
    public Integer call() {
        List<DomainSummary> domains = context().connection().domains(all);
        Output out = output();
        if (out.json()) {
            ObjectNode o = out.object();
            ArrayNode list = o.putArray("domains");
            for (DomainSummary d : domains) {
                ObjectNode e = list.addObject();
                if (d.id() >= 0) {
                    e.put("id", d.id());
                } else {
                    e.putNull("id");
                }
                e.put("name", d.name()).put("state", d.state());
            }
            out.json(o);
        } else if (nameOnly) {
            domains.forEach(d -> out.line(d.name()));
        } else {
            out.table(
                    List.of("Id", "Name", "State"),
                    domains.stream()
                            .map(d -> List.of(d.id() >= 0 ? Integer.toString(d.id()) : "-", d.name(), d.state()))
                            .toList());
        }
        return 0;
    }
}
