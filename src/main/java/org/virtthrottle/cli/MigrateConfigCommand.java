package org.virtthrottle.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.virtthrottle.app.DomainSession;
import org.virtthrottle.app.MigrateConfig;
import org.virtthrottle.app.UsageException;
import org.virtthrottle.libvirt.LibvirtConnection.DomainSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "migrate-config", description = {
    "After upgrading a host to libvirt 11.2+: move domains' persistent throttle config from virt-throttle's",
    "metadata into libvirt's own <throttlegroups> and <throttlefilters> (groups through libvirt's API, the",
    "filters by defining only the disks that have them), check the result, then drop the metadata.",
    "Refused, and nothing changed, where libvirt would reject the config (e.g. <iotune> on the same disk).",
    "JSON: {\"domains\": [{\"domain\", \"moved\": [...], \"applied\": BOOL}]}."
})
final class MigrateConfigCommand extends DomainCommand {
    @Parameters(paramLabel = "DOMAIN", arity = "0..*", description = "domain names, ids or uuids")
    List<String> domains = new ArrayList<>();

    @Option(names = "--all", description = "every domain, running or not")
    boolean all;

    @Override
    public Integer call() {
        if (all == !domains.isEmpty()) {
            throw new UsageException("give either DOMAIN... or --all");
        }
        List<String> names = all ? context().connection().domains(true).stream().map(DomainSummary::name).toList() : domains;
        Output out = output();
        ObjectNode json = out.object();
        ArrayNode list = json.putArray("domains");
        for (String name : names) {
            DomainSession session = domain(name, "migrate configs");
            MigrateConfig.Result result = MigrateConfig.plan(session);
            if (!dryRun()) {
                session.apply(result.plan());
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
