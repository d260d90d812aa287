package org.virtthrottle.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.virtthrottle.app.DomainSession;
import org.virtthrottle.app.ListFilterChains;
import org.virtthrottle.cli.output.Output;
import picocli.CommandLine.Command;

@Command(
        name = "throttlefilterlist",
        description = {
            "Show each disk's throttle filter chain, image side first. Live from QEMU's block graph (with "
                    + "the filter node names), or from the persistent configuration with --inactive (or a shut-off "
                    + "domain).",
            "JSON: {\"domain\", \"source\", \"disks\": [{\"target\", \"groups\": [...], \"nodes\": [...]}]}."
        })
public final class ThrottleFilterListCommand extends ReadingCommand {
    @Override
    void show(DomainSession session, Output out) {
        List<ListFilterChains.DiskChain> chains = ListFilterChains.read(session, inactive);
        boolean live = session.readSide(inactive) == org.virtthrottle.model.Side.LIVE;
        if (out.json()) {
            ObjectNode o = out.document(session.name(), session.readSide(inactive));
            ArrayNode disks = o.putArray("disks");
            for (ListFilterChains.DiskChain c : chains) {
                ObjectNode d = disks.addObject();
                d.put("target", c.target());
                c.groups().forEach(d.putArray("groups")::add);
                if (live) {
                    c.nodes().forEach(d.putArray("nodes")::add);
                }
            }
            out.json(o);
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        for (ListFilterChains.DiskChain c : chains) {
            String groups = c.groups().isEmpty() ? "-" : String.join(",", c.groups());
            rows.add(
                    live
                            ? List.of(c.target(), groups, c.nodes().isEmpty() ? "-" : String.join(",", c.nodes()))
                            : List.of(c.target(), groups));
        }
        out.table(live ? List.of("Target", "Throttle filters", "Nodes") : List.of("Target", "Throttle filters"), rows);
    }
}
