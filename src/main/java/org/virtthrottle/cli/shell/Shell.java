package org.virtthrottle.cli.shell;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.virtthrottle.app.UsageException;
import org.virtthrottle.cli.Cli;
import org.virtthrottle.cli.CliContext;
import org.virtthrottle.cli.completion.Completions;
import org.virtthrottle.cli.completion.HypervisorNames;

/**
 * The interactive shell, like virsh's: history kept across sessions, TAB completion live from
 * libvirt, Ctrl-C cancels the line, Ctrl-D, quit or exit leave; several commands per line with ';'.
 */
public final class Shell {
    private final Cli cli;
    private final CliContext context;
    private final Batch batch;

    public Shell(Cli cli, CliContext context, Batch batch) {
        this.cli = cli;
        this.context = context;
        this.batch = batch;
    }

    /** $XDG_STATE_HOME/virt-throttle/history, by default ~/.local/state/virt-throttle/history. */
    static Path historyFile() {
        String state = System.getenv("XDG_STATE_HOME");
        Path base = state != null && !state.isEmpty()
                ? Path.of(state)
                : Path.of(System.getProperty("user.home"), ".local", "state");
        return base.resolve("virt-throttle").resolve("history");
    }

    public int run() {
        context.enterShell();
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            Completions completions = new Completions(
                    cli.commandLine(),
                    uri -> new HypervisorNames(() -> context.connectionFor(uri)),
                    () -> context.tiers().names(),
                    List.of("quit", "exit"),
                    context.environmentUri());
            LineReader reader = LineReaderBuilder.builder()
                    .terminal(terminal)
                    .appName("virt-throttle")
                    .parser(new ShellLineParser())
                    .completer(new ShellCompleter(completions))
                    .variable(LineReader.HISTORY_FILE, historyFile())
                    .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                    .build();
            Thread commands = Thread.currentThread();
            // Ctrl-C while a command runs stops that command (throttlestat's samples), not the shell
            terminal.handle(Terminal.Signal.INT, signal -> commands.interrupt());
            context.output.line("Welcome to virt-throttle, the throttle group shell for libvirt domains.");
            context.output.line("");
            context.output.line("Type:  'help' for help with commands");
            context.output.line("       'quit' to quit");
            context.output.line("");
            context.output.out().flush();
            loop(reader);
            reader.getHistory().save();
        } catch (IOException e) {
            context.output.error(null, "cannot open the terminal: " + e.getMessage());
            return Cli.FAILED;
        }
        return Cli.OK;
    }

    private void loop(LineReader reader) throws IOException {
        while (true) {
            String line;
            try {
                line = reader.readLine(prompt());
            } catch (UserInterruptException e) {
                continue;
            } catch (EndOfFileException e) {
                context.output.line("");
                return;
            }
            List<ScriptParser.Command> commands;
            try {
                commands = ScriptParser.parse(line);
            } catch (UsageException e) {
                context.output.error(null, e.getMessage());
                continue;
            }
            for (ScriptParser.Command command : commands) {
                if (Batch.isQuit(command)) {
                    return;
                }
                batch.runOne(command.argv());
                Thread.interrupted(); // a Ctrl-C the command did not take is not for the next one
            }
            reader.getHistory().save();
        }
    }

    /** "virt-throttle # " on the default connection, else with the URI (or "sandbox") in it. */
    private String prompt() {
        String uri = context.sessionUri();
        String sign = "root".equals(System.getProperty("user.name")) ? "#" : "$";
        if (uri.equals(CliContext.DEFAULT_URI)) {
            return "virt-throttle " + sign + " ";
        }
        return "virt-throttle (" + (uri.contains(":///embed") ? "sandbox" : uri) + ") " + sign + " ";
    }
}
