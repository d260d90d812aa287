package org.virtthrottle.cli.command;

import org.virtthrottle.app.DomainSession;
import org.virtthrottle.cli.output.Output;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A command that shows one domain's throttle state: DOMAIN, then what the subclass declares, and
 * --inactive; the running domain is read unless --inactive or shut off (as virsh).
 */
public abstract class ReadingCommand extends Subcommand {
    @Mixin
    DomainArgument domain;

    @Option(names = "--inactive", description = "get inactive rather than running configuration")
    boolean inactive;

    @Override
    public final Integer call() {
        show(domain(domain.name(), null), output());
        return 0;
    }

    /** Prints what the command shows; {@link #inactive} says which side to read. */
    abstract void show(DomainSession session, Output out);
}
