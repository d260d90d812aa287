package org.virtthrottle.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.app.UsageException;
import org.virtthrottle.cli.output.HelpText;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Runs command lines. Every command line is parsed into new command objects (a new root and a new
 * instance of the command it names), so nothing a line set (an option, a flag, a half-parsed value
 * of a line that failed) reaches the next one in a batch or the shell. The model of every command,
 * built on first use, only describes them: help, completion, the man page. Running a command needs
 * only its own model: building all of them (picocli reflects over every field) is most of a
 * one-shot command's start-up.
 */
public final class Cli {
    public static final int OK = 0;
    public static final int FAILED = 1;
    static final int USAGE = 2;

    private static final Version VERSION = new Version();

    private final CliContext context;
    /** The root command alone: the global options. */
    private final CommandLine root;
    /** Each command's class by its name and aliases, read from its @Command. */
    private final Map<String, Class<?>> commands = new HashMap<>();

    private CommandLine model;

    public Cli(CliContext context) {
        this.context = context;
        this.root = fresh(null);
        for (Class<?> command : VirtThrottleCommand.COMMANDS) {
            Command names = command.getAnnotation(Command.class);
            commands.put(names.name(), command);
            for (String alias : names.aliases()) {
                commands.put(alias, command);
            }
        }
    }

    /** Every command, for help, completion and the man page; never used to run one. Built on first use. */
    public CommandLine commandLine() {
        if (model == null) {
            model = line(VirtThrottleCommand.COMMANDS);
        }
        return model;
    }

    /** A command name or alias of this tool. */
    public boolean isCommand(String name) {
        return commands.containsKey(name);
    }

    /** Where the command's name stands: after the global options and their values; -1 when there is none. */
    public int commandIndex(String... args) {
        CommandSpec root = this.root.getCommandSpec();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                return -1;
            }
            if (arg.startsWith("-") && arg.length() > 1) {
                OptionSpec option = root.findOption(arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg);
                if (option != null && option.arity().max() > 0 && !arg.contains("=")) {
                    i++;
                }
                continue;
            }
            return i;
        }
        return -1;
    }

    /**
     * A new root, with a new instance of the command named (none for null), ready to parse one line;
     * also the model of that one command, for completing its words.
     */
    public CommandLine fresh(String command) {
        return line(command == null ? List.of() : List.of(commands.get(command)));
    }

    /** A new root with a new instance of each of these commands. */
    private CommandLine line(List<Class<?>> commandClasses) {
        VirtThrottleCommand root = new VirtThrottleCommand(context);
        root.cli = this;
        CommandLine line = new CommandLine(root);
        commandClasses.forEach(command -> add(line, instance(command)));
        // after the commands are added: picocli passes these settings on to the commands it has;
        // virsh reads no @FILE arguments: a group or file name may start with @
        line.setCaseInsensitiveEnumValuesAllowed(true).setExpandAtFiles(false).setOut(context.output.out());
        HelpText.describe(line);
        return line;
    }

    private static Object instance(Class<?> command) {
        try {
            return CommandLine.defaultFactory().create(command);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create " + command, e);
        }
    }

    private static void add(CommandLine root, Object command) {
        CommandLine sub = new CommandLine(command);
        // every command answers --version (inherited, as --help) as the tool does
        sub.getCommandSpec().versionProvider(VERSION);
        root.addSubcommand(sub);
    }

    /** Runs one command line: global options, a command name, its words. */
    public int run(String... args) {
        boolean json = Arrays.asList(args).contains("--json");
        int at = commandIndex(args);
        if (at < 0) {
            return usageError(null, "no command given", json);
        }
        String name = args[at];
        if (!isCommand(name)) {
            return usageError(null, "unknown command: '" + name + "'", json);
        }
        for (String word : Arrays.asList(args).subList(0, at)) {
            // -h or -V before the command: the tool's help or version, whatever the command's words
            OptionSpec option = root.getCommandSpec().findOption(word);
            if (option != null && (option.usageHelp() || option.versionHelp())) {
                if (option.usageHelp()) {
                    commandLine().usage(context.output.out());
                } else {
                    root.printVersionHelp(context.output.out());
                }
                context.output.out().flush();
                return OK;
            }
        }
        CommandLine line = fresh(name);
        CommandLine command = line.getSubcommands().get(name);
        ParseResult parsed;
        try {
            parsed = parse(line, args, at);
        } catch (UsageException | ParameterException e) {
            return usageError(name, e, json);
        }
        if (CommandLine.printHelpIfRequested(parsed)) {
            context.output.out().flush();
            return OK;
        }
        VirtThrottleCommand root = line.getCommand();
        boolean dryRun = root.globals.dryRun || parsed.subcommand().hasMatchedOption("--dry-run");
        context.use(root.globals, dryRun);
        StartupMarks.mark("parsed");
        int status = execute(name, command.getCommand(), root.globals.timing);
        StartupMarks.mark("ran");
        return status;
    }

    /**
     * Parses a command line into its new command tree: the global options as they are, the words
     * after the command's name (at {@code at}; -1 for none) read as virsh reads them.
     */
    ParseResult parse(CommandLine line, String[] args, int at) {
        if (at < 0) {
            return line.parseArgs(args);
        }
        String name = args[at];
        List<String> canonical = new ArrayList<>(Arrays.asList(args).subList(0, at + 1));
        canonical.addAll(VirshSyntax.canonical(
                line.getSubcommands().get(name).getCommandSpec(),
                name,
                Arrays.asList(args).subList(at + 1, args.length)));
        return line.parseArgs(canonical.toArray(String[]::new));
    }

    private int execute(String name, Callable<?> command, boolean timing) {
        long start = System.nanoTime();
        VirtThrottleException error = null;
        int status;
        try {
            Object result = command.call();
            status = result instanceof Integer code ? code : OK;
        } catch (UsageException e) {
            error = e;
            status = USAGE;
        } catch (VirtThrottleException e) {
            error = e;
            status = FAILED;
            debugTrace(e.getCause());
        } catch (Exception e) {
            error = new VirtThrottleException("internal error: " + e, e);
            status = FAILED;
            debugTrace(e);
        }
        Double millis = timing ? (System.nanoTime() - start) / 1e6 : null;
        context.endOfCommand();
        if (error != null) {
            context.output.error(name, error.getMessage(), error.lines(), millis);
        }
        context.output.endOfCommand(millis);
        return status;
    }

    private void debugTrace(Throwable e) {
        if (context.options().debug && e != null) {
            e.printStackTrace(new PrintWriter(
                    new java.io.OutputStreamWriter(System.err, java.nio.charset.StandardCharsets.UTF_8), true));
        }
    }

    /**
     * A command line that could not be parsed. The command's words have virsh's texts already; a
     * mistake among the global options gets getopt's, as virsh's own options do, and names no command.
     */
    public int usageError(String command, RuntimeException e, boolean json) {
        if (e instanceof ParameterException p
                && p.getCommandLine().getCommandSpec().parent() == null) {
            String message = p.getMessage();
            if (p instanceof CommandLine.UnmatchedArgumentException u
                    && !u.getUnmatched().isEmpty()) {
                message = "unrecognized option '" + u.getUnmatched().get(0) + "'";
            } else if (p instanceof CommandLine.MissingParameterException m
                    && !m.getMissing().isEmpty()
                    && m.getMissing().get(0) instanceof OptionSpec o) {
                message = "option '" + o.longestName() + "' requires an argument";
            }
            return usageError(null, message, json);
        }
        return usageError(
                command,
                e.getMessage(),
                e instanceof VirtThrottleException v ? v.lines() : List.of(e.getMessage()),
                json);
    }

    /** A command line that cannot be run: the error (a JSON document with --json), status 2. */
    public int usageError(String command, String message, boolean json) {
        return usageError(command, message, List.of(message), json);
    }

    private int usageError(String command, String message, List<String> lines, boolean json) {
        context.output.configure(json, false);
        context.output.error(command, message, lines, null);
        return USAGE;
    }
}
