package org.virtthrottle.cli.command;

import java.util.concurrent.Callable;
import org.virtthrottle.app.DomainSession;
import org.virtthrottle.cli.CliContext;
import org.virtthrottle.cli.VirtThrottleCommand;
import org.virtthrottle.cli.output.Output;
import picocli.CommandLine.ParentCommand;

/** Base of every subcommand: the shared context (output, options, connection) of the line being run. */
public abstract class Subcommand implements Callable<Integer> {
    @ParentCommand
    VirtThrottleCommand root;

    CliContext context() {
        return root.context;
    }

    public Output output() {
        return root.context.output;
    }

    DomainSession domain(String name, String changes) {
        return context().domain(name, changes);
    }

    public boolean dryRun() {
        return context().dryRun();
    }
}
