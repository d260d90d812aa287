package org.virtthrottle.cli.command;

import org.virtthrottle.app.UsageException;
import org.virtthrottle.cli.completion.CompletedWith;
import org.virtthrottle.cli.output.HelpText;
import org.virtthrottle.cli.output.Output;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "help", description = "Show the commands, or one command's arguments and options.")
public final class HelpCommand extends Subcommand {
    @NamedForm("command")
    @CompletedWith(CompletedWith.Names.COMMAND)
    @Parameters(paramLabel = "COMMAND", arity = "0..1", description = "the command to describe")
    String command;

    @Override
    public Integer call() {
        CommandLine commands = root.cli.commandLine();
        Output out = output();
        if (command == null) {
            if (context().inShell()) {
                HelpText.shellHelp(commands, out.out());
            } else {
                commands.usage(out.out());
            }
        } else if (commands.getSubcommands().containsKey(command)) {
            commands.getSubcommands().get(command).usage(out.out());
        } else {
            throw new UsageException("command or command group '" + command + "' doesn't exist");
        }
        out.bare();
        return 0;
    }
}
