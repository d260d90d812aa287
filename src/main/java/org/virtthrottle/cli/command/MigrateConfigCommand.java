package org.virtthrottle.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.virtthrottle.app.DomainSession;
import org.virtthrottle.app.MigrateConfig;
import org.virtthrottle.cli.output.Output;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        name = "migrate-config",
        description = {
            "Move domains' persistent throttle config into libvirt's own XML, after an upgrade to libvirt 11.2+. "
                    + "It goes from virt-throttle's metadata into libvirt's <throttlegroups> and <throttlefilters> (groups "
                    + "through libvirt's API, the filters by defining only the disks that have them), check the "
                    + "result, then drop the metadata.",
            "Refused, and nothing changed, where libvirt would reject the config (e.g. <iotune> on the same "
                    + "disk).",
            "JSON: {\"domains\": [{\"domain\", \"moved\": [...], \"applied\": BOOL}]}."
        })
public final class MigrateConfigCommand extends ChangingCommand {
    @Mixin
    DomainSelection selection;

    @Override
    public Integer call() {
        List<String> names = selection.checked().names(context().connection(), true);
        Output out = output();
        ObjectNode json = out.object();
        ArrayNode list = json.putArray("domains");
        for (String name : names) {
            DomainSession session = domain(name, "migrate configs");
            MigrateConfig.Result result = MigrateConfig.plan(session);
            try {
                if (!dryRun()) {
                    result.apply(session);
                }
            } finally {
                context().releaseLocks();
            }
            if (out.json()) {
                ObjectNode d = list.addObject();
                d.put("domain", result.domain());
                result.moved().forEach(d.putArray("moved")::add);
                d.put("applied", !dryRun() && !result.plan().isEmpty());
            } else if (result.plan().isEmpty()) {
                out.line(result.domain() + ": nothing to migrate");
            } else {
                result.moved().forEach(m -> out.line(result.domain() + ": " + (dryRun() ? "would: " : "") + m));
                if (dryRun()) {
                    out.text(result.plan().describe());
                }
            }
        }
        if (out.json()) {
            out.json(json);
        }
        return 0;
    }
}
