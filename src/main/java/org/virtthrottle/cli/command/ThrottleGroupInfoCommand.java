package org.virtthrottle.cli.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.virtthrottle.app.DomainSession;
import org.virtthrottle.app.ShowThrottleGroup;
import org.virtthrottle.cli.output.Output;
import org.virtthrottle.model.ThrottleGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        name = "throttlegroupinfo",
        aliases = "domthrottlegroupinfo",
        description = {
            "Show a throttle group's non-zero limits. For a running domain the values are read back from "
                    + "QEMU; with --inactive (or a shut-off domain) from the persistent configuration.",
            "JSON: {\"domain\", \"group\", \"source\": \"live\"|\"config\", \"limits\": {NAME: VALUE}}."
        })
public final class ThrottleGroupInfoCommand extends ReadingCommand {
    @Mixin
    GroupArgument group;

    @Override
    void show(DomainSession session, Output out) {
        ThrottleGroup g = ShowThrottleGroup.read(session, group.name, inactive);
        if (out.json()) {
            ObjectNode o = out.document(session.name(), session.readSide(inactive));
            o.put("group", g.name());
            ObjectNode limits = o.putObject("limits");
            g.limits().nonZero().forEach((f, v) -> limits.put(f.xmlName(), v));
            out.json(o);
        } else {
            g.limits().nonZero().forEach((f, v) -> out.line(Output.padded(f.xmlName(), 15) + ": " + v));
        }
    }
}
