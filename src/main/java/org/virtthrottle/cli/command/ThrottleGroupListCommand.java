package org.virtthrottle.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.virtthrottle.app.DomainSession;
import org.virtthrottle.app.ListThrottleGroups;
import org.virtthrottle.cli.output.Output;
import picocli.CommandLine.Command;

@Command(
        name = "throttlegrouplist",
        aliases = "domthrottlegrouplist",
        description = {
            "List a domain's throttle groups: those in QEMU for a running domain, those in the persistent "
                    + "configuration with --inactive (or a shut-off domain).",
            "JSON: {\"domain\", \"source\": \"live\"|\"config\", \"groups\": [NAME...]}."
        })
public final class ThrottleGroupListCommand extends ReadingCommand {
    @Override
    void show(DomainSession session, Output out) {
        List<String> names = ListThrottleGroups.read(session, inactive);
        if (out.json()) {
            ObjectNode o = out.document(session.name(), session.readSide(inactive));
            ArrayNode groups = o.putArray("groups");
            names.forEach(groups::add);
            out.json(o);
        } else {
            out.table(List.of("Name"), names.stream().map(List::of).toList());
        }
    }
}
