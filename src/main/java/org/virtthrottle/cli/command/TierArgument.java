package org.virtthrottle.cli.command;

import org.virtthrottle.cli.completion.CompletedWith;
import picocli.CommandLine.Parameters;

/** The TIER argument of the tier commands, with its named form and completer. */
public final class TierArgument {
    @NamedForm("tier")
    @CompletedWith(CompletedWith.Names.TIER)
    @Parameters(index = "0", paramLabel = "TIER", description = "tier name")
    String name;

    public String name() {
        return name;
    }
}
