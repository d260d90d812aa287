package org.virtthrottle.cli.completion;

import java.util.List;
import java.util.function.Supplier;
import org.virtthrottle.app.DomainSession;
import org.virtthrottle.app.DomainSessions;
import org.virtthrottle.app.Hypervisor;
import org.virtthrottle.app.ListThrottleGroups;
import org.virtthrottle.xml.DiskInfo;

/** Completion candidates read from libvirt; any failure (no daemon, no domain) offers nothing. */
public final class HypervisorNames implements Completions.LiveNames {
    private final Supplier<Hypervisor> connection;

    public HypervisorNames(Supplier<Hypervisor> connection) {
        this.connection = connection;
    }

    @Override
    public List<String> domains() {
        return quietly(() -> connection.get().domainNames());
    }

    @Override
    public List<String> groups(String domain, boolean inactive) {
        return quietly(() -> ListThrottleGroups.read(session(domain), inactive));
    }

    @Override
    public List<String> targets(String domain, boolean inactive) {
        return quietly(() -> {
            DomainSession session = session(domain);
            return session.xml(session.readSide(inactive)).disks().stream()
                    .map(DiskInfo::target)
                    .toList();
        });
    }

    private DomainSession session(String domain) {
        return new DomainSessions(connection.get(), text -> {}).open(domain);
    }

    private static List<String> quietly(Supplier<List<String>> lookup) {
        try {
            return lookup.get();
        } catch (RuntimeException | LinkageError e) {
            return List.of();
        }
    }
}
