package org.virtthrottle.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "virt-throttle",
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
        footer = {"  LIBVIRT_DEFAULT_URI   connection URI used when -c is not given"})
final class VirtThrottleCommand implements Callable<Integer> {
    /** The commands, in the order help lists them. */
    static final List<Class<?>> COMMANDS = List.of(
            ThrottleGroupSetCommand.class,
            ThrottleGroupDelCommand.class,
            ThrottleGroupInfoCommand.class,
            ThrottleGroupListCommand.class,
            AttachDiskCommand.class,
            DetachDiskCommand.class,
            ThrottleFilterSetCommand.class,
            ThrottleFilterListCommand.class,
            ReconcileCommand.class,
            WatchCommand.class,
            MigrateConfigCommand.class,
            ListDomainsCommand.class,
            ConnectCommand.class,
            ShellCommand.class,
            HelpCommand.class,
            CompleteCommand.class);

    @Mixin
    GlobalOptions globals;

    @Parameters(paramLabel = "COMMANDS", arity = "0..1",
            description = "commands to run, separated by ';' or newlines, as one quoted argument; "
                    + "without it (and without -f) commands come from standard input when that is not a terminal, "
                    + "else an interactive shell starts")
    String script;

    @CompletedWith(CompletedWith.Names.FILE)
    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "run the commands in FILE ('-' for standard input)")
    String file;

    @Option(names = "--stop-on-error", description = "in a batch, stop at the first command that fails")
    boolean stopOnError;

    @Option(names = "--sandbox", description = "try virt-throttle without libvirtd: libvirt's embedded QEMU driver "
            + "runs a throwaway TCG guest named 'sandbox' (disks vda and sda, spare images for attach-disk) under "
            + "$XDG_CACHE_HOME/virt-throttle/sandbox; the shell (or COMMANDS) runs on it, and the guest stops at the end")
    boolean sandbox;

    @Option(names = "--install-deps", description = "with --sandbox, as root: install the missing Debian packages with apt-get, "
            + "and create libvirt's QEMU account (libvirt-qemu, group kvm) when missing")
    boolean installDeps;

    @Spec
    CommandSpec spec;

    final CliContext context;

    /** What runs the command lines; its model of every command, whichever this line holds, is for help and completion. */
    Cli cli;

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
