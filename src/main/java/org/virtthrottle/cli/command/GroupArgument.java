package org.virtthrottle.cli.command;

import org.virtthrottle.cli.completion.CompletedWith;
import picocli.CommandLine.Parameters;

/** The GROUP argument right after DOMAIN (declare it after {@link DomainArgument}), with its named form and completer. */
public final class GroupArgument {
    @NamedForm("group-name")
    @CompletedWith(CompletedWith.Names.GROUP)
    @Parameters(index = "+", paramLabel = "GROUP", description = "throttle group name")
    String name;

    public String name() {
        return name;
    }
}
