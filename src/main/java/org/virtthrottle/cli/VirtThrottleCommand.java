package org.virtthrottle.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.virtthrottle.cli.command.ApplyCommand;
import org.virtthrottle.cli.command.AttachDiskCommand;
import org.virtthrottle.cli.command.BlockCommitCommand;
import org.virtthrottle.cli.command.BlockCopyCommand;
import org.virtthrottle.cli.command.BlockJobCommand;
import org.virtthrottle.cli.command.BlockPullCommand;
import org.virtthrottle.cli.command.BlockResizeCommand;
import org.virtthrottle.cli.command.CompleteCommand;
import org.virtthrottle.cli.command.ConnectCommand;
import org.virtthrottle.cli.command.DetachDiskCommand;
import org.virtthrottle.cli.command.ExportCommand;
import org.virtthrottle.cli.command.HelpCommand;
import org.virtthrottle.cli.command.ListDomainsCommand;
import org.virtthrottle.cli.command.MigrateCommand;
import org.virtthrottle.cli.command.MigrateConfigCommand;
import org.virtthrottle.cli.command.ReconcileCommand;
import org.virtthrottle.cli.command.ShellCommand;
import org.virtthrottle.cli.command.SnapshotDeleteCommand;
import org.virtthrottle.cli.command.ThrottleFilterListCommand;
import org.virtthrottle.cli.command.ThrottleFilterSetCommand;
import org.virtthrottle.cli.command.ThrottleGroupDelCommand;
import org.virtthrottle.cli.command.ThrottleGroupInfoCommand;
import org.virtthrottle.cli.command.ThrottleGroupListCommand;
import org.virtthrottle.cli.command.ThrottleGroupSetCommand;
import org.virtthrottle.cli.command.ThrottleStatCommand;
import org.virtthrottle.cli.command.ThrottleTierDelCommand;
import org.virtthrottle.cli.command.ThrottleTierInfoCommand;
import org.virtthrottle.cli.command.ThrottleTierListCommand;
import org.virtthrottle.cli.command.ThrottleTierSetCommand;
import org.virtthrottle.cli.command.WatchCommand;
import org.virtthrottle.cli.completion.CompletedWith;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "virt-throttle",
        versionProvider = Version.class,
        usageHelpAutoWidth = true,
        description = "Disk I/O throttle groups and per-disk throttle filter chains for libvirt QEMU/KVM domains, "
                + "on libvirt 9.x/10.x through QEMU monitor passthrough. Command names, options and output follow "
                + "virsh (libvirt 11.2+ names such as domthrottlegroupset are accepted as aliases).",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:every command succeeded",
            "1:a command failed (libvirt, QEMU or validation error); nothing was changed by it. Also a detach "
                    + "that is pending: the guest has not let go of the disk yet, which stays attached and throttled",
            "2:the command line is wrong (unknown command or option, malformed value)"
        },
        footerHeading = "%nEnvironment:%n",
        footer = {
            "  LIBVIRT_DEFAULT_URI   connection URI used when -c is not given",
            "  VIRT_THROTTLE_TIERS   the tiers file used instead of /etc/virt-throttle/tiers.yaml"
        })
public final class VirtThrottleCommand implements Callable<Integer> {
    /** The commands, in the order help lists them. */
    static final List<Class<?>> COMMANDS = List.of(
            ThrottleGroupSetCommand.class,
            ThrottleGroupDelCommand.class,
            ThrottleGroupInfoCommand.class,
            ThrottleGroupListCommand.class,
            ThrottleTierSetCommand.class,
            ThrottleTierDelCommand.class,
            ThrottleTierInfoCommand.class,
            ThrottleTierListCommand.class,
            AttachDiskCommand.class,
            DetachDiskCommand.class,
            ThrottleFilterSetCommand.class,
            ThrottleFilterListCommand.class,
            BlockCommitCommand.class,
            BlockCopyCommand.class,
            BlockPullCommand.class,
            BlockJobCommand.class,
            BlockResizeCommand.class,
            SnapshotDeleteCommand.class,
            MigrateCommand.class,
            ThrottleStatCommand.class,
            ReconcileCommand.class,
            WatchCommand.class,
            MigrateConfigCommand.class,
            ApplyCommand.class,
            ExportCommand.class,
            ListDomainsCommand.class,
            ConnectCommand.class,
            ShellCommand.class,
            HelpCommand.class,
            CompleteCommand.class);

    @Mixin
    GlobalOptions globals;

    @Parameters(
            paramLabel = "COMMANDS",
            arity = "0..1",
            description = "commands to run, separated by ';' or newlines, as one quoted argument; "
                    + "without it (and without -f) commands come from standard input when that is not a terminal, "
                    + "else an interactive shell starts")
    String script;

    @CompletedWith(CompletedWith.Names.FILE)
    @Option(
            names = {"-f", "--file"},
            paramLabel = "FILE",
            description = "run the commands in FILE ('-' for standard input)")
    String file;

    @Option(names = "--stop-on-error", description = "in a batch, stop at the first command that fails")
    boolean stopOnError;

    @Option(
            names = "--sandbox",
            description =
                    "try virt-throttle without libvirtd: libvirt's embedded QEMU driver "
                            + "runs a throwaway TCG guest named 'sandbox' (disks vda and sda, spare images for attach-disk) under "
                            + "$XDG_CACHE_HOME/virt-throttle/sandbox; the shell (or COMMANDS) runs on it, and the guest stops at the end")
    boolean sandbox;

    @Option(
            names = "--install-deps",
            description = "with --sandbox, as root: install the missing Debian packages with apt-get, "
                    + "and create libvirt's QEMU account (libvirt-qemu, group kvm) when missing")
    boolean installDeps;

    @Spec
    CommandSpec spec;

    public final CliContext context;

    /** What runs the command lines; its model of every command, whichever this line holds, is for help and completion. */
    public Cli cli;

    VirtThrottleCommand(CliContext context) {
        this.context = context;
    }

    /** Reached only through {@link Launcher}, which routes scripts, files and the shell itself. */
    @Override
    public Integer call() {
        cli.commandLine().usage(context.output.out());
        return 0;
    }
}
