package org.virtthrottle.cli;

import java.util.concurrent.Callable;
import org.virtthrottle.app.DomainSession;
import picocli.CommandLine.ParentCommand;

/** Base of the commands that work on one domain: access to the shared context. */
abstract class DomainCommand implements Callable<Integer> {
    @ParentCommand
    VirtThrottleCommand root;

    CliContext context() {
        return root.context;
    }

    Output output() {
        return root.context.output;
    }

    DomainSession domain(String name, String changes) {
        return context().domain(name, changes);
    }

    boolean dryRun() {
        return context().dryRun();
    }
}
