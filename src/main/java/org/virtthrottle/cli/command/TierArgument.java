package org.virtthrottle.cli.command;

import picocli.CommandLine.Parameters;

/** The TIER argument of the tier commands, with its named form. */
public final class TierArgument {
    @NamedForm("tier")
    @Parameters(index = "0", paramLabel = "TIER", description = "tier name")
    String name;

    public String name() {
        return name;
    }
}
