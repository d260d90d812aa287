package org.virtthrottle.cli.command;

import java.util.ArrayList;
import java.util.List;
import org.virtthrottle.cli.CliContext;
import org.virtthrottle.cli.completion.Completions;
import org.virtthrottle.cli.completion.HypervisorNames;
import org.virtthrottle.cli.shell.ShellLineParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * What bash completion calls, like virsh's own `virsh complete`: prints the candidates for the
 * word at the end of LINE, one per line. It takes the raw line because bash splits its words at
 * ':' and '=', which would cut URIs apart.
 */
@Command(name = "complete", hidden = true,
        description = "Print completion candidates for the last word of LINE (a command line up to the cursor).")
public final class CompleteCommand extends Subcommand {
    @Parameters(paramLabel = "LINE", description = "the command line up to the cursor, program name first")
    String line;

    @Override
    public Integer call() {
        CliContext context = context();
        Completions completions = new Completions(root.commands,
                uri -> new HypervisorNames(() -> context.connectionFor(uri)), List.of(), context.environmentUri());
        output().bare();
        List<String> words = new ShellLineParser().parse(line, line.length(), null).words();
        List<String> afterProgram = words.isEmpty() ? List.of() : new ArrayList<>(words.subList(1, words.size()));
        if (afterProgram.isEmpty()) {
            afterProgram.add("");
        }
        completions.complete(afterProgram).forEach(output()::line);
        return 0;
    }
}
