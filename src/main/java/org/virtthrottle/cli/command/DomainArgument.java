package org.virtthrottle.cli.command;

import org.virtthrottle.cli.completion.CompletedWith;
import picocli.CommandLine.Parameters;

/** The DOMAIN argument that comes first in every command on one domain, with its named form and completer. */
public final class DomainArgument {
    @NamedForm("domain")
    @CompletedWith(CompletedWith.Names.DOMAIN)
    @Parameters(index = "0", paramLabel = "DOMAIN", description = "domain name, id or uuid")
    String name;

    public String name() {
        return name;
    }
}
