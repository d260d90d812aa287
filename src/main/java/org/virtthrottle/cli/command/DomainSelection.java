package org.virtthrottle.cli.command;

import java.util.ArrayList;
import java.util.List;
import org.virtthrottle.app.Hypervisor;
import org.virtthrottle.app.Hypervisor.DomainSummary;
import org.virtthrottle.app.UsageException;
import org.virtthrottle.cli.completion.CompletedWith;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The domains a command works on: DOMAIN... or --all. */
public final class DomainSelection {
    @NamedForm("domain")
    @CompletedWith(CompletedWith.Names.DOMAIN)
    @Parameters(paramLabel = "DOMAIN", arity = "0..*", description = "domain names, ids or uuids")
    List<String> domains = new ArrayList<>();

    @Option(names = "--all", description = "all domains (those running, for reconcile and watch)")
    boolean all;

    DomainSelection checked() {
        if (all == !domains.isEmpty()) {
            throw new UsageException("give either DOMAIN... or --all");
        }
        return this;
    }

    List<String> names(Hypervisor connection, boolean inactiveToo) {
        return all
                ? connection.domains(inactiveToo).stream()
                        .map(DomainSummary::name)
                        .toList()
                : domains;
    }

    /** Whether the domain is one of those given, by name, UUID or id (as virsh looks domains up). */
    boolean includes(String name, String uuid, int id) {
        return all
                || domains.stream()
                        .anyMatch(d -> d.equals(name)
                                || d.equalsIgnoreCase(uuid)
                                || d.replace("-", "").equalsIgnoreCase(uuid.replace("-", ""))
                                || (id > 0 && d.equals(Integer.toString(id))));
    }
}
