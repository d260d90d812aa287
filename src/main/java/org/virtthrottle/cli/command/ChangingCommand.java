package org.virtthrottle.cli.command;

import org.virtthrottle.cli.output.HelpText;
import picocli.CommandLine.Option;

/** A command that changes domains: it can print its plan instead (--dry-run, also before the command). */
public abstract class ChangingCommand extends DomainCommand {
    @Option(names = "--dry-run", order = HelpText.LAST_OPTION,
            description = "print the plan (XML changes and exact QMP commands, in order) and change nothing")
    boolean dryRunAsked;
}
