package org.virtthrottle.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.app.Hypervisors.SandboxGuest;
import org.virtthrottle.app.TierFile;
import org.virtthrottle.app.UsageException;
import org.virtthrottle.cli.shell.Batch;
import org.virtthrottle.cli.shell.Shell;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Decides what a command line asks for: one command (picocli runs it), a script given as one
 * argument ('cmd1; cmd2'), a file (-f), commands piped on standard input, or the interactive shell.
 */
public final class Launcher {
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
        int at = cli.commandIndex(args);
        boolean shell = at >= 0 && args[at].equals("shell");
        if (at >= 0 && !shell && (cli.isCommand(args[at]) || at < args.length - 1 || !isScript(args[at]))) {
            return cli.run(args);
        }
        // the tool's own options: a script, a file, commands on stdin, or the shell
        CommandLine line = cli.fresh(shell ? "shell" : null);
        ParseResult parsed;
        try {
            parsed = cli.parse(line, args, shell ? at : -1);
        } catch (UsageException | ParameterException e) {
            return cli.usageError(shell ? "shell" : null, e, Arrays.asList(args).contains("--json"));
        }
        if (parsed.isUsageHelpRequested()) {
            cli.commandLine().usage(context.output.out());
            context.output.out().flush();
            return Cli.OK;
        }
        if (parsed.isVersionHelpRequested()) {
            line.printVersionHelp(context.output.out());
            context.output.out().flush();
            return Cli.OK;
        }
        VirtThrottleCommand root = line.getCommand();
        GlobalOptions globals = root.globals;
        context.use(globals, globals.dryRun);
        context.connectSession(globals.connect, globals.readOnly);
        Batch batch = new Batch(cli, context, globals.forEachCommand());
        if (root.sandbox) {
            return inSandbox(root, batch, shell);
        }
        return runCommands(root, batch, shell);
    }

    /** One argument holding several words or commands ('cmd1; cmd2'), rather than one command's name. */
    private static boolean isScript(String arg) {
        return arg.chars().anyMatch(c -> c == ';' || c == '#' || Character.isWhitespace(c));
    }

    /** The script, the file, piped stdin or the shell. */
    private int runCommands(VirtThrottleCommand root, Batch batch, boolean shellAsked) {
        if (shellAsked) {
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

    /** Runs the commands on the sandbox guest of libvirt's embedded QEMU driver; stops it after. */
    private int inSandbox(VirtThrottleCommand root, Batch batch, boolean shellAsked) {
        List<String> missing = Sandbox.missingPackages();
        boolean isRoot = "root".equals(System.getProperty("user.name"));
        if (!missing.isEmpty()) {
            if (!(root.installDeps && isRoot)) {
                context.output.error(
                        null,
                        "the sandbox needs the packages " + String.join(", ", missing) + "; as root run: "
                                + Sandbox.installCommand(missing) + (isRoot ? " (or add --install-deps)" : ""));
                return Cli.FAILED;
            }
            Sandbox.install(missing);
        }
        List<String> accounts = Sandbox.missingAccountCommands();
        if (!accounts.isEmpty()) {
            if (!root.installDeps) {
                context.output.error(
                        null,
                        "libvirt's QEMU driver needs its account libvirt-qemu (group kvm); run: "
                                + String.join(" && ", accounts) + " (or add --install-deps)");
                return Cli.FAILED;
            }
            accounts.forEach(c -> Sandbox.run(List.of(c.split(" "))));
        }
        Path dir = Sandbox.root();
        SandboxGuest guest;
        try {
            Sandbox.writeQemuConf(dir);
            // the sandbox's own tier budgets, empty at each start: trying tiers never touches the host's
            Path tiers = dir.resolve("tiers.yaml");
            Files.deleteIfExists(tiers);
            context.useTiers(new TierFile(tiers));
            context.hypervisors().logTo(dir.resolve("log").resolve("libvirt.log"));
            context.connectSession(Sandbox.uri(dir), false);
            guest = context.hypervisors().startSandbox(context.connectionFor(null), dir);
        } catch (VirtThrottleException | IOException e) {
            context.output.error(null, "cannot start the sandbox: " + e.getMessage());
            return Cli.FAILED;
        }
        try {
            if (interactive && root.script == null && root.file == null) {
                context.output.line(
                        "Sandbox: domain '" + guest.name() + "', a throwaway TCG guest with disks vda (virtio) "
                                + "and sda (scsi), on " + Sandbox.uri(dir));
                context.output.line("Spare images for attach-disk: "
                        + guest.spareImages().stream()
                                .map(Path::toString)
                                .reduce((a, b) -> a + " " + b)
                                .orElse(""));
                context.output.line("Try: throttlegroupset sandbox g1 --total-iops-sec 100 --live");
                context.output.line("");
            }
            return runCommands(root, batch, shellAsked);
        } finally {
            try {
                guest.stop().run();
            } catch (VirtThrottleException e) {
                context.output.error(null, "could not stop the sandbox guest: " + e.getMessage());
            }
        }
    }

    private static String read(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
