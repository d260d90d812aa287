package org.virtthrottle.cli.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.virtthrottle.app.DomainSession;
import org.virtthrottle.app.ExportState;
import org.virtthrottle.model.DomainThrottleConfig;
import org.virtthrottle.state.StateFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "export",
        description = {
            "Print domains' throttle state as apply -f reads it (YAML; JSON with --json): their groups with "
                    + "their limits and their disks' filter chains. For a running domain what is live (virt-throttle's "
                    + "live record), for a shut-off one or with --inactive the persistent config. "
                    + "'export DOM > f; apply -f f' changes nothing."
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
        ObjectNode tree = StateFile.toTree(domains);
        if (output().json()) {
            output().json(tree);
        } else {
            output().text(StateFile.toYaml(tree));
        }
        return 0;
    }
}
