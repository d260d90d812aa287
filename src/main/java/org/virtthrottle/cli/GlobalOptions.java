package org.virtthrottle.cli;

import org.virtthrottle.cli.command.ChangingCommand;
import org.virtthrottle.cli.completion.CompletedWith;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Options of the tool; all but --dry-run are valid before or after any command (inherited by every command). */
public final class GlobalOptions {
    @CompletedWith(CompletedWith.Names.URI)
    @Option(
            names = {"-c", "--connect"},
            paramLabel = "URI",
            scope = ScopeType.INHERIT,
            description = "hypervisor connection URI (default: $LIBVIRT_DEFAULT_URI, else qemu:///system)")
    String connect;

    @Option(
            names = {"-r", "--readonly"},
            scope = ScopeType.INHERIT,
            description = "connect read-only; commands that change a domain are refused")
    public boolean readOnly;

    @Option(
            names = {"-q", "--quiet"},
            scope = ScopeType.INHERIT,
            description = "quiet mode: no confirmations")
    boolean quiet;

    @Option(
            names = "--debug",
            scope = ScopeType.INHERIT,
            description = "print every libvirt call and every QMP command and reply on stderr")
    boolean debug;

    /** Before the command only: changing commands have their own --dry-run ({@link ChangingCommand}). */
    @Option(
            names = "--dry-run",
            description = "commands that change a domain print their plan (XML changes and "
                    + "exact QMP commands, in order) and change nothing")
    boolean dryRun;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "machine-readable JSON output and errors")
    boolean json;

    @Option(
            names = {"-t", "--timing"},
            scope = ScopeType.INHERIT,
            description = "print how long each command took, as virsh -t does: (Time: N ms); "
                    + "with --json, \"time_ms\" in the command's document")
    boolean timing;

    // one inherited pair instead of picocli's standard help mixin on every command: cheaper to build per line
    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            scope = ScopeType.INHERIT,
            description = "show this help and exit")
    boolean help;

    @Option(
            names = {"-V", "--version"},
            versionHelp = true,
            scope = ScopeType.INHERIT,
            description = "print the version and exit")
    boolean version;

    /** The options a batch or shell passes on to each of its commands (-c is the session's). */
    java.util.List<String> forEachCommand() {
        java.util.List<String> args = new java.util.ArrayList<>();
        if (quiet) {
            args.add("--quiet");
        }
        if (debug) {
            args.add("--debug");
        }
        if (dryRun) {
            args.add("--dry-run");
        }
        if (json) {
            args.add("--json");
        }
        if (timing) {
            args.add("--timing");
        }
        return args;
    }
}
