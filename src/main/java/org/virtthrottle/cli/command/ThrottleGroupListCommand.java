package org.virtthrottle.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.virtthrottle.app.DomainSession;
import org.virtthrottle.app.ListThrottleGroups;
import org.virtthrottle.cli.completion.CompletedWith;
import org.virtthrottle.cli.output.Output;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "throttlegrouplist", aliases = "domthrottlegrouplist",
        description = {
            "List a domain's throttle groups: those in QEMU for a running domain, those in the persistent "
                    + "configuration with --inactive (or a shut-off domain).",
            "JSON: {\"domain\", \"source\": \"live\"|\"config\", \"groups\": [NAME...]}."
        })
public final class ThrottleGroupListCommand extends Subcommand {
    @Mixin
    DomainArgument domain;

    @Option(names = "--inactive", description = "get inactive rather than running configuration")
    boolean inactive;

    @Override
    public Integer call() {
        DomainSession session = domain(domain.name, null);
        List<String> names = ListThrottleGroups.read(session, inactive);
        Output out = output();
        if (out.json()) {
            ObjectNode o = out.document(session.name(), session.readSide(inactive));
            ArrayNode groups = o.putArray("groups");
            names.forEach(groups::add);
            out.json(o);
        } else {
            out.table(List.of("Name"), names.stream().map(List::of).toList());
        }
        return 0;
    }
}
