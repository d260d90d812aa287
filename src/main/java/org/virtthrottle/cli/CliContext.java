package org.virtthrottle.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.app.ActionExecutor;
import org.virtthrottle.app.DomainLock;
import org.virtthrottle.app.DomainSession;
import org.virtthrottle.app.DomainSessions;
import org.virtthrottle.app.Hypervisor;
import org.virtthrottle.app.Hypervisors;
import org.virtthrottle.app.TierFile;
import org.virtthrottle.app.Tiers;
import org.virtthrottle.cli.output.Output;
import org.virtthrottle.qmp.QmpTransport;

/**
 * What every command shares: output, the global options of the current command line, and one
 * libvirt connection opened on first use and kept across the commands of a batch or shell.
 */
public final class CliContext implements AutoCloseable {
    public static final String DEFAULT_URI = "qemu:///system";

    public final Output output;
    private final Hypervisors hypervisors;
    private final String environmentUri;
    private UnaryOperator<QmpTransport> transportWrapper = UnaryOperator.identity();
    private UnaryOperator<ActionExecutor> executorWrapper = UnaryOperator.identity();
    private GlobalOptions options = new GlobalOptions();
    private boolean dryRun;
    private boolean inShell;
    private Hypervisor connection;
    private final List<DomainLock> locks = new ArrayList<>();
    private String sessionUri;
    private boolean sessionReadOnly;
    private TierFile tiers = TierFile.of(System.getenv(TierFile.ENVIRONMENT));

    CliContext(Hypervisors hypervisors, Output output, String environmentUri) {
        this.hypervisors = hypervisors;
        this.output = output;
        this.environmentUri = environmentUri;
    }

    /** The global options of the command about to run, and whether it only prints its plan. */
    void use(GlobalOptions options, boolean dryRun) {
        this.options = options;
        this.dryRun = dryRun;
        output.configure(options.json, options.quiet);
    }

    public boolean dryRun() {
        return dryRun;
    }

    /** Set by the interactive shell: help then describes the shell. */
    public void enterShell() {
        inShell = true;
    }

    public boolean inShell() {
        return inShell;
    }

    public GlobalOptions options() {
        return options;
    }

    /** The host's tier budgets. */
    public TierFile tiers() {
        return tiers;
    }

    /** Tests use a tiers file of their own, never the host's. */
    void useTiers(TierFile file) {
        this.tiers = file;
    }

    /** Tests wrap the QMP transport, e.g. to make the Nth command fail. */
    void wrapTransport(UnaryOperator<QmpTransport> wrapper) {
        this.transportWrapper = wrapper;
    }

    /** Tests wrap the step executor, e.g. to make the Nth step fail. */
    void wrapExecutor(UnaryOperator<ActionExecutor> wrapper) {
        this.executorWrapper = wrapper;
    }

    /** The connection of a shell or batch: set at start (-c) and by the connect command. */
    public void connectSession(String uri, boolean readOnly) {
        this.sessionUri = uri;
        this.sessionReadOnly = readOnly;
    }

    /** This command's -c, else the session's, else $LIBVIRT_DEFAULT_URI, else qemu:///system. */
    public String uri() {
        if (options.connect != null) {
            return options.connect;
        }
        return sessionUri();
    }

    public boolean readOnly() {
        return options.readOnly || sessionReadOnly;
    }

    /** Where the commands being run come from (a batch line), for error messages; null for none. */
    public void location(String where) {
        output.location(where);
    }

    /** $LIBVIRT_DEFAULT_URI as the process got it (null when unset). */
    public String environmentUri() {
        return environmentUri;
    }

    /** The session's URI: set by -c at start or by connect, else $LIBVIRT_DEFAULT_URI, else the default. */
    public String sessionUri() {
        if (sessionUri != null) {
            return sessionUri;
        }
        return environmentUri != null && !environmentUri.isEmpty() ? environmentUri : DEFAULT_URI;
    }

    public Hypervisor connection() {
        return connectionFor(uri(), readOnly());
    }

    /** A connection to {@code uri} (null: the session's), kept open for the next command. */
    public Hypervisor connectionFor(String uri) {
        return uri == null ? connectionFor(sessionUri(), sessionReadOnly) : connectionFor(uri, sessionReadOnly);
    }

    private Hypervisor connectionFor(String uri, boolean readOnly) {
        if (connection != null && (!connection.uri().equals(uri) || connection.isReadOnly() != readOnly)) {
            connection.close();
            connection = null;
        }
        if (connection == null) {
            StartupMarks.mark("connecting");
            connection = hypervisors.open(uri, readOnly, debug());
            StartupMarks.mark("connected");
        }
        return connection;
    }

    /** Looks the domain up for a command; {@code changes} names the change a read-only connection must refuse. */
    public DomainSession domain(String name, String changes) {
        DomainSession session = open(name, changes);
        if (changes != null && !dryRun) {
            locks.add(session.lock());
        }
        return session;
    }

    /**
     * Opens several domains for one change of them all, locked in one order for every process (by
     * UUID), so two such commands never each hold a lock the other waits for. In the order given.
     */
    public List<DomainSession> domains(List<String> names, String changes) {
        return domains(names, changes, tiers);
    }

    /** As {@link #domains(List, String)}, the sessions seeing these tier budgets (apply's, as they will be). */
    public List<DomainSession> domains(List<String> names, String changes, Tiers budgets) {
        List<DomainSession> sessions =
                names.stream().map(name -> open(name, changes, budgets)).toList();
        if (!dryRun) {
            sessions.stream().sorted(Comparator.comparing(DomainSession::uuid)).forEach(s -> locks.add(s.lock()));
        }
        return sessions;
    }

    private DomainSession open(String name, String changes) {
        return open(name, changes, tiers);
    }

    private DomainSession open(String name, String changes, Tiers budgets) {
        if (changes != null && readOnly() && !dryRun) {
            throw new VirtThrottleException("operation forbidden: read-only connection (-r) cannot " + changes);
        }
        DomainSessions sessions = sessions().withTiers(budgets);
        if (changes != null && !dryRun && sessions.support() == Hypervisor.ThrottleSupport.NATIVE_DAEMON_OLD_CLIENT) {
            throw new VirtThrottleException(
                    "libvirtd manages throttle groups itself (libvirt >= 11.2), but the client library "
                            + "here is older and cannot call that API: install libvirt0 >= 11.2 on this host");
        }
        DomainSession session = sessions.open(name);
        session.wrapExecutor(executorWrapper);
        return session;
    }

    /** Called when a command ends: its domain locks go. */
    void endOfCommand() {
        releaseLocks();
    }

    /**
     * Lets go of the domain locks taken so far; commands over several domains call it after each, so
     * no process ever holds one domain's lock while waiting for another's.
     */
    public void releaseLocks() {
        locks.forEach(DomainLock::close);
        locks.clear();
    }

    /** The hypervisors the composition root wired in: for commands that open their own connections (watch, sandbox). */
    public Hypervisors hypervisors() {
        return hypervisors;
    }

    /** A session factory over the current command's connection. */
    public DomainSessions sessions() {
        return new DomainSessions(connection(), debug(), transportWrapper).withTiers(tiers);
    }

    public Consumer<String> debug() {
        return options.debug ? output::debug : text -> {};
    }

    @Override
    public void close() {
        endOfCommand();
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }
}
