package org.virtthrottle.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Decides what a command line asks for: one command (picocli runs it), a script given as one
 * argument ('cmd1; cmd2'), a file (-f), commands piped on standard input, or the interactive shell.
 */
final class Launcher {
    private final Cli cli;
    private final CliContext context;
    private final InputStream stdin;
    private final boolean interactive;

    Launcher(Cli cli, CliContext context, InputStream stdin, boolean interactive) {
        this.cli = cli;
        this.context = context;
        this.stdin = stdin;
        this.interactive = interactive;
    }

    int run(String... args) {
        ParseResult parsed;
        try {
            parsed = cli.commandLine().parseArgs(args);
        } catch (ParameterException e) {
            return cli.run(args); // picocli reports it as a usage error
        }
        if (parsed.isUsageHelpRequested() || parsed.isVersionHelpRequested()) {
            return cli.run(args);
        }
        VirtThrottleCommand root = cli.root();
        if (parsed.hasSubcommand() && !parsed.subcommand().commandSpec().name().equals("shell")) {
            return cli.run(args);
        }
        GlobalOptions globals = root.globals;
        context.connectSession(globals.connect, globals.readOnly);
        List<String> perCommand = globals.forEachCommand();
        Batch batch = new Batch(cli, context, perCommand);
        if (parsed.hasSubcommand()) {
            return new Shell(cli, context, batch).run();
        }
        if (root.script != null) {
            return batch.run(root.script, "", root.stopOnError);
        }
        if (root.file != null) {
            String text;
            try {
                text = root.file.equals("-") ? read(stdin) : Files.readString(Path.of(root.file));
            } catch (IOException e) {
                context.output.error(null, "cannot read " + root.file + ": " + e.getMessage());
                return Cli.FAILED;
            }
            return batch.run(text, root.file.equals("-") ? "" : root.file + " ", root.stopOnError);
        }
        if (!interactive) {
            try {
                return batch.run(read(stdin), "", root.stopOnError);
            } catch (IOException e) {
                context.output.error(null, "cannot read standard input: " + e.getMessage());
                return Cli.FAILED;
            }
        }
        return new Shell(cli, context, batch).run();
    }

    private static String read(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
