package org.virtthrottle.cli.command;

import org.virtthrottle.cli.completion.CompletedWith;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** What virsh's block commands start with: DOMAIN, then the disk as PATH (its source path or its target). */
public final class BlockDiskArguments {
    @Mixin
    DomainArgument domain;

    @NamedForm("path")
    @CompletedWith(CompletedWith.Names.TARGET)
    @Parameters(index = "1", paramLabel = "PATH", description = "fully-qualified path of disk (or its target, vda)")
    String path;

    String domain() {
        return domain.name();
    }
}
