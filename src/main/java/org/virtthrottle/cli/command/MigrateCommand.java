package org.virtthrottle.cli.command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.app.DomainSession;
import org.virtthrottle.app.Hypervisor;
import org.virtthrottle.app.LiftedChains;
import org.virtthrottle.app.Migrate;
import org.virtthrottle.app.UsageException;
import org.virtthrottle.cli.completion.CompletedWith;
import org.virtthrottle.cli.output.Output;
import org.virtthrottle.plan.Migration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "migrate",
        description = {
            "Migrate domain to another host, as virsh migrate (same options, words and exit status), then make its "
                    + "throttling live there: libvirt < 11.2 starts the destination's QEMU without throttle filters, so "
                    + "the domain is reconciled on the destination from the live record it carries.",
            "With --copy-storage-all or --copy-storage-inc, libvirt mirrors each copied disk, which QEMU refuses on a "
                    + "disk behind throttle filters (\"Need a root block node\").",
            "The filters of the copied disks "
                    + "(--migrate-disks, else all) are lifted for the migration and applied again on the destination, "
                    + "or on the source when the migration fails; a note on stderr says how long the disks ran "
                    + "unthrottled. A domain migrated with --suspend is throttled by reconcile (or watch) once resumed.",
            "Not supported (virsh's other options): --p2p, --direct, --tunnelled, post-copy, compression, TLS, "
                    + "parallel connections and the tuning options; use virsh migrate for those."
        })
public final class MigrateCommand extends Subcommand {
    @Mixin
    DomainArgument domain;

    @NamedForm("desturi")
    @CompletedWith(CompletedWith.Names.URI)
    @Parameters(
            index = "1",
            paramLabel = "DESTURI",
            description = "connection URI of the destination host as seen from the client")
    String destinationUri;

    @Option(names = "--live", description = "live migration")
    boolean live;

    @Option(names = "--offline", description = "offline migration")
    boolean offline;

    @Option(names = "--persistent", description = "persist VM on destination")
    boolean persistent;

    @Option(names = "--undefinesource", description = "undefine VM on source")
    boolean undefineSource;

    @Option(names = "--suspend", description = "do not restart the domain on the destination host")
    boolean suspend;

    @Option(names = "--copy-storage-all", description = "migration with non-shared storage with full disk copy")
    boolean copyStorageAll;

    @Option(
            names = "--copy-storage-inc",
            description = "migration with non-shared storage with incremental copy (same base image shared between "
                    + "source and destination)")
    boolean copyStorageInc;

    @Option(names = "--unsafe", description = "force migration even if it may be unsafe")
    boolean unsafe;

    @Option(names = "--verbose", description = "display the progress of migration")
    boolean verbose;

    @Option(names = "--auto-converge", description = "force convergence during live migration")
    boolean autoConverge;

    @Option(names = "--migrateuri", paramLabel = "STRING", description = "migration URI, usually can be omitted")
    String migrateUri;

    @Option(
            names = "--listen-address",
            paramLabel = "STRING",
            description = "listen address that destination should bind to for incoming migration")
    String listenAddress;

    @Option(
            names = "--dname",
            paramLabel = "STRING",
            description = "rename to new name during migration (if supported)")
    String destinationName;

    @Option(
            names = "--timeout",
            paramLabel = "NUMBER",
            description = "suspend the guest if live migration exceeds timeout (in seconds)")
    String timeout;

    @CompletedWith(CompletedWith.Names.FILE)
    @Option(names = "--xml", paramLabel = "STRING", description = "filename containing updated XML for the target")
    String xmlFile;

    @Option(
            names = "--migrate-disks",
            paramLabel = "STRING",
            description = "comma separated list of disks to be migrated")
    String migrateDisks;

    @Override
    public Integer call() {
        if (live && offline) {
            throw new UsageException("Options --live and --offline are mutually exclusive");
        }
        int seconds = seconds(timeout);
        if (seconds > 0 && !live) {
            throw new UsageException("migrate: Unexpected timeout for offline migration");
        }
        if (copyStorageAll && copyStorageInc) {
            throw new VirtThrottleException(
                    "Flags 'VIR_MIGRATE_NON_SHARED_DISK' and 'VIR_MIGRATE_NON_SHARED_INC' are mutually exclusive");
        }
        Migration migration = new Migration(
                live,
                offline,
                persistent,
                undefineSource,
                suspend,
                copyStorageAll,
                copyStorageInc,
                unsafe,
                autoConverge,
                disks(),
                migrateUri,
                listenAddress,
                destinationName,
                xmlFile == null ? null : read(xmlFile));
        DomainSession source = domain(domain.name(), "migrate domains");
        Output out = output();
        LiftedChains lifted = Migrate.lift(source, migration);
        Migrate.Outcome outcome;
        try (Hypervisor destination =
                context().hypervisors().open(destinationUri, false, context().debug())) {
            outcome = Migrate.run(
                    source,
                    destination,
                    migration,
                    lifted,
                    seconds * 1000L,
                    (remaining, total) -> {
                        if (verbose) {
                            out.progress("Migration", remaining, total);
                        }
                    },
                    context().debug());
        } catch (RuntimeException e) {
            if (verbose) {
                out.debug("");
            }
            notes(lifted, "tried to migrate the domain");
            throw e;
        }
        if (verbose) {
            out.progress("Migration", 0, 1);
            out.debug("");
        }
        if (outcome.reconciled()) {
            notes(lifted, "migrated the domain");
        } else if (suspend) {
            out.debug("note: " + outcome.destinationName() + " is paused on " + destinationUri
                    + ": its throttling is applied by reconcile (or watch) there once it is resumed"
                    + (lifted.isEmpty()
                            ? ""
                            : "; until then " + String.join(", ", lifted.targets()) + " run without throttle filters"));
        }
        return 0;
    }

    private void notes(LiftedChains lifted, String during) {
        for (String target : lifted.targets()) {
            output().debug("note: " + target + " ran without its throttle filters for " + lifted.unthrottledMillis()
                    + " ms while libvirt " + during);
        }
    }

    private List<String> disks() {
        return migrateDisks == null
                ? List.of()
                : Arrays.stream(migrateDisks.split(","))
                        .filter(d -> !d.isEmpty())
                        .toList();
    }

    /** virsh's --timeout: whole seconds, 0 for none. */
    private static int seconds(String text) {
        if (text == null) {
            return 0;
        }
        try {
            int seconds = Integer.parseInt(text);
            if (seconds >= 0) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // worded below, as virsh does
        }
        throw new UsageException("Numeric value '" + text + "' for <timeout> option is malformed or out of range");
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new VirtThrottleException("error reading file '" + file + "': " + e.getMessage(), e);
        }
    }
}
