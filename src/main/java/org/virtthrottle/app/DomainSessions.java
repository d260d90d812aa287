package org.virtthrottle.app;

import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.virtthrottle.app.Hypervisor.ThrottleSupport;
import org.virtthrottle.qmp.QmpClient;
import org.virtthrottle.qmp.QmpTransport;

/**
 * The one way every entry point (commands, watch, completion) opens a domain session: the domain
 * looked up as virsh does, QMP through libvirt's passthrough, and the choice between libvirt 11.2+'s
 * own API and the passthrough made once, for the connection.
 */
public final class DomainSessions {
    private final Hypervisor connection;
    private final Consumer<String> debug;
    private final UnaryOperator<QmpTransport> transport;
    private final Tiers tiers;

    public DomainSessions(Hypervisor connection, Consumer<String> debug) {
        this(connection, debug, UnaryOperator.identity());
    }

    /** @param transport wraps each domain's QMP transport (tests inject failures there) */
    public DomainSessions(Hypervisor connection, Consumer<String> debug, UnaryOperator<QmpTransport> transport) {
        this(connection, debug, transport, Tiers.NONE);
    }

    private DomainSessions(
            Hypervisor connection, Consumer<String> debug, UnaryOperator<QmpTransport> transport, Tiers tiers) {
        this.connection = connection;
        this.debug = debug;
        this.transport = transport;
        this.tiers = tiers;
    }

    /** The same factory, its sessions knowing the host's tier budgets (for member groups). */
    public DomainSessions withTiers(Tiers hostTiers) {
        return new DomainSessions(connection, debug, transport, hostTiers);
    }

    public Hypervisor connection() {
        return connection;
    }

    public ThrottleSupport support() {
        return connection.throttleSupport();
    }

    public DomainSession open(String domain) {
        Domain d = connection.lookup(domain);
        return new DomainSession(
                d, new QmpClient(transport.apply(d), debug), support() != ThrottleSupport.PASSTHROUGH, tiers);
    }
}
