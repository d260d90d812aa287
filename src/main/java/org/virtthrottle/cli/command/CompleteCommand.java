package org.virtthrottle.cli.command;

import java.util.ArrayList;
import java.util.List;
import org.virtthrottle.cli.CliContext;
import org.virtthrottle.cli.StartupMarks;
import org.virtthrottle.cli.completion.Completions;
import org.virtthrottle.cli.completion.HypervisorNames;
import org.virtthrottle.cli.shell.ShellLineParser;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * What bash completion calls, like virsh's own `virsh complete`: prints the candidates for the
 * word at the end of LINE, one per line. It takes the raw line because bash splits its words at
 * ':' and '=', which would cut URIs apart.
 */
@Command(
        name = "complete",
        hidden = true,
        description = "Print completion candidates for the last word of LINE (a command line up to the cursor).")
public final class CompleteCommand extends Subcommand {
    @Parameters(paramLabel = "LINE", description = "the command line up to the cursor, program name first")
    String line;

    @Override
    public Integer call() {
        CliContext context = context();
        output().bare();
        List<String> words =
                new ShellLineParser().parse(line, line.length(), null).words();
        List<String> afterProgram = words.isEmpty() ? List.of() : new ArrayList<>(words.subList(1, words.size()));
        if (afterProgram.isEmpty()) {
            afterProgram.add("");
        }
        // a TAB after a command's name needs that command's model only, not every command's
        String[] before = afterProgram.subList(0, afterProgram.size() - 1).toArray(String[]::new);
        int at = root.cli.commandIndex(before);
        CommandLine model =
                at >= 0 && root.cli.isCommand(before[at]) ? root.cli.fresh(before[at]) : root.cli.commandLine();
        StartupMarks.mark("completion model");
        Completions completions = new Completions(
                model,
                uri -> new HypervisorNames(() -> context.connectionFor(uri)),
                () -> context.tiers().names(),
                List.of(),
                context.environmentUri());
        completions.complete(afterProgram).forEach(output()::line);
        return 0;
    }
}
