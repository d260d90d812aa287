package org.virtthrottle.cli.command;

import org.virtthrottle.cli.CliContext;
import org.virtthrottle.cli.completion.CompletedWith;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "connect",
        description = {"Connect the shell or batch to a hypervisor. The following commands use this connection."})
public final class ConnectCommand extends Subcommand {
    @NamedForm("name")
    @CompletedWith(CompletedWith.Names.URI)
    @Parameters(
            paramLabel = "URI",
            arity = "0..1",
            description = "hypervisor connection URI (default: the current one)")
    String uri;

    @Override
    public Integer call() {
        CliContext context = context();
        // -r/--readonly (a global option) makes the session read-only
        context.connectSession(uri != null ? uri : context.sessionUri(), context.options().readOnly);
        context.connectionFor(null);
        return 0;
    }
}
