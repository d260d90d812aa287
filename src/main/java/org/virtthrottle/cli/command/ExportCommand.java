package org.virtthrottle.cli.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.virtthrottle.app.DomainSession;
import org.virtthrottle.app.ExportState;
import org.virtthrottle.model.DomainThrottleConfig;
import org.virtthrottle.model.Tier;
import org.virtthrottle.state.StateFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "export",
        description = {
            "Print domains' throttle state as apply -f reads it (YAML; JSON with --json): their groups with "
                    + "their limits and tiers, and their disks' filter chains. For a running domain what is live "
                    + "(virt-throttle's live record), for a shut-off one or with --inactive the persistent config. "
                    + "'export DOM > f; apply -f f' changes nothing.",
            "tiers: holds the budgets (from the host's tiers file) of the tiers the exported groups are members of."
        })
public final class ExportCommand extends Subcommand {
    @Mixin
    DomainSelection selection;

    @Option(names = "--inactive", description = "get inactive rather than running configuration")
    boolean inactive;

    @Override
    public Integer call() {
        Map<String, DomainThrottleConfig> domains = new LinkedHashMap<>();
        for (String name : selection.checked().names(context().connection(), true)) {
            DomainSession session = domain(name, null);
            domains.put(session.name(), ExportState.read(session, inactive));
        }
        ObjectNode tree = StateFile.toTree(usedTiers(domains), domains);
        if (output().json()) {
            output().json(tree);
        } else {
            output().text(StateFile.toYaml(tree));
        }
        return 0;
    }

    /**
     * The budgets of the tiers the exported groups are members of, from the host's tiers file (read
     * only when there are members); a tier the file lacks is left out, and apply then refuses its members.
     */
    private List<Tier> usedTiers(Map<String, DomainThrottleConfig> domains) {
        Set<String> used = new HashSet<>();
        domains.values().forEach(config -> used.addAll(config.tiers().values()));
        if (used.isEmpty()) {
            return List.of();
        }
        return context().tiers().read().stream()
                .filter(t -> used.contains(t.name()))
                .toList();
    }
}
