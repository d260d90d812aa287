package org.virtthrottle.cli.shell;

import java.util.ArrayList;
import java.util.List;
import org.virtthrottle.app.UsageException;
import org.virtthrottle.cli.Cli;
import org.virtthrottle.cli.CliContext;

/**
 * Runs a list of commands in one process and one connection. Unlike virsh, whose status is the last
 * command's, the status is 0 only when every command succeeded; each failure names its line.
 */
public final class Batch {
    private final Cli cli;
    private final CliContext context;
    private final List<String> globals;

    public Batch(Cli cli, CliContext context, List<String> globals) {
        this.cli = cli;
        this.context = context;
        this.globals = globals;
    }

    /**
     * @param where prefix of error locations, e.g. "script.vt " for a file; "" for a command argument
     */
    public int run(String text, String where, boolean stopOnError) {
        List<ScriptParser.Command> commands;
        try {
            commands = ScriptParser.parse(text);
        } catch (UsageException e) {
            return cli.usageError(null, where + e.getMessage(), globals.contains("--json"));
        }
        int status = Cli.OK;
        try {
            for (int i = 0; i < commands.size(); i++) {
                ScriptParser.Command command = commands.get(i);
                if (isQuit(command)) {
                    break;
                }
                context.location(where + "line " + command.line() + ordinalOnItsLine(commands, i));
                int rc = runOne(command.argv());
                status = Math.max(status, rc);
                if (rc != Cli.OK && stopOnError) {
                    break;
                }
            }
        } finally {
            context.location(null);
        }
        return status;
    }

    /** ", command 2" when a line holds several commands, so each failure is found at once. */
    private static String ordinalOnItsLine(List<ScriptParser.Command> commands, int index) {
        int line = commands.get(index).line();
        long onLine = commands.stream().filter(c -> c.line() == line).count();
        if (onLine < 2) {
            return "";
        }
        int ordinal = 1;
        for (int j = 0; j < index; j++) {
            if (commands.get(j).line() == line) {
                ordinal++;
            }
        }
        return ", command " + ordinal;
    }

    static boolean isQuit(ScriptParser.Command command) {
        return command.argv().size() == 1
                && (command.name().equals("quit") || command.name().equals("exit"));
    }

    /** One command, with the batch's global options in front. */
    int runOne(List<String> argv) {
        List<String> args = new ArrayList<>(globals);
        args.addAll(argv);
        return cli.run(args.toArray(String[]::new));
    }
}
