package org.virtthrottle.cli;

import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.app.ActionExecutor;
import org.virtthrottle.app.DomainSession;
import org.virtthrottle.libvirt.LibvirtConnection;
import org.virtthrottle.qmp.QmpClient;
import org.virtthrottle.qmp.QmpTransport;

/**
 * What every command shares: output, the global options of the current command line, and one
 * libvirt connection opened on first use and kept across the commands of a batch or shell.
 */
final class CliContext implements AutoCloseable {
    static final String DEFAULT_URI = "qemu:///system";

    final Output output;
    private final String environmentUri;
    private UnaryOperator<QmpTransport> transportWrapper = UnaryOperator.identity();
    private UnaryOperator<ActionExecutor> executorWrapper = UnaryOperator.identity();
    private GlobalOptions options = new GlobalOptions();
    private LibvirtConnection connection;

    CliContext(Output output, String environmentUri) {
        this.output = output;
        this.environmentUri = environmentUri;
    }

    void use(GlobalOptions options) {
        this.options = options;
        output.configure(options.json, options.quiet);
    }

    GlobalOptions options() {
        return options;
    }

    /** Tests wrap the QMP transport, e.g. to make the Nth command fail. */
    void wrapTransport(UnaryOperator<QmpTransport> wrapper) {
        this.transportWrapper = wrapper;
    }

    /** Tests wrap the step executor, e.g. to make the Nth step fail. */
    void wrapExecutor(UnaryOperator<ActionExecutor> wrapper) {
        this.executorWrapper = wrapper;
    }

    String uri() {
        if (options.connect != null) {
            return options.connect;
        }
        return environmentUri != null && !environmentUri.isEmpty() ? environmentUri : DEFAULT_URI;
    }

    LibvirtConnection connection() {
        String uri = uri();
        if (connection != null && (!connection.uri().equals(uri) || connection.isReadOnly() != options.readOnly)) {
            connection.close();
            connection = null;
        }
        if (connection == null) {
            connection = LibvirtConnection.open(uri, options.readOnly, debug());
        }
        return connection;
    }

    /** Looks the domain up for a command; {@code changes} names the change a read-only connection must refuse. */
    DomainSession domain(String name, String changes) {
        if (changes != null && options.readOnly && !options.dryRun) {
            throw new VirtThrottleException("operation forbidden: read-only connection (-r) cannot " + changes);
        }
        var domain = connection().lookup(name);
        DomainSession session = new DomainSession(domain, new QmpClient(transportWrapper.apply(domain), debug()));
        session.wrapExecutor(executorWrapper);
        return session;
    }

    Consumer<String> debug() {
        return options.debug ? output::debug : text -> { };
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }
}
