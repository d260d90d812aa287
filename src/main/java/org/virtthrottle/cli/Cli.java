package org.virtthrottle.cli;

import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.app.UsageException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/** Builds the picocli command tree once and runs command lines through it. */
final class Cli {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private final CliContext context;
    private final VirtThrottleCommand root;
    private final CommandLine commandLine;

    Cli(CliContext context) {
        this.context = context;
        this.root = new VirtThrottleCommand(context);
        this.commandLine = new CommandLine(root)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setOut(context.output.out())
                .setExecutionStrategy(this::execute)
                .setParameterExceptionHandler(this::usageError)
                .setExecutionExceptionHandler((e, cl, parseResult) -> failure(e, cl));
        // every command answers --help (and --version), as virsh's commands answer help CMD
        commandLine.getSubcommands().values().forEach(sub -> sub.getCommandSpec().mixinStandardHelpOptions(true));
    }

    CommandLine commandLine() {
        return commandLine;
    }

    VirtThrottleCommand root() {
        return root;
    }

    /** A command name or alias of this tool. */
    boolean isCommand(String name) {
        return commandLine.getSubcommands().containsKey(name);
    }

    int run(String... args) {
        return commandLine.execute(args);
    }

    private int execute(ParseResult parseResult) {
        long start = System.nanoTime();
        context.use(root.globals);
        try {
            return new CommandLine.RunLast().execute(parseResult);
        } finally {
            context.endOfCommand();
            if (root.globals.timing) {
                context.output.timing((System.nanoTime() - start) / 1e6);
            }
            boolean help = parseResult.asCommandLineList().stream().map(cl -> cl.getParseResult())
                    .anyMatch(r -> r != null && (r.isUsageHelpRequested() || r.isVersionHelpRequested()));
            if (!help) {
                context.output.endOfCommand();
            }
        }
    }

    private int usageError(ParameterException e, String[] args) {
        context.output.error(e.getCommandLine().getCommandName(), e.getMessage());
        return USAGE;
    }

    private int failure(Exception e, CommandLine cl) {
        String command = cl.getCommandName();
        if (e instanceof UsageException) {
            context.output.error(command, e.getMessage());
            return USAGE;
        }
        if (e instanceof VirtThrottleException) {
            context.output.error(command, e.getMessage());
            if (context.options().debug && e.getCause() != null) {
                e.getCause().printStackTrace(new java.io.PrintWriter(System.err, true));
            }
            return FAILED;
        }
        context.output.error(command, "internal error: " + e);
        if (context.options().debug) {
            e.printStackTrace(new java.io.PrintWriter(System.err, true));
        }
        return FAILED;
    }
}
