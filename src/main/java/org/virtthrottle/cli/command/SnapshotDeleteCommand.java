package org.virtthrottle.cli.command;

import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.app.DeleteSnapshot;
import org.virtthrottle.app.DomainSession;
import org.virtthrottle.app.UsageException;
import org.virtthrottle.cli.output.Output;
import org.virtthrottle.cli.output.PlanOutput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "snapshot-delete",
        description = {
            "Delete a domain snapshot, as virsh snapshot-delete (same options, words and exit status).",
            "libvirt 9.x and 10.x delete an external snapshot with block-commit, which QEMU refuses on a disk behind "
                    + "throttle filters (\"Need a root block node\").",
            "The filters of the snapshot's external disks "
                    + "are lifted for the call and put back from the live record afterwards, above the disk's new "
                    + "top (also when libvirt fails); a note on stderr says how long the disks ran unthrottled. On "
                    + "libvirt 11.2+ libvirt does it itself."
        })
public final class SnapshotDeleteCommand extends ChangingCommand {
    @Mixin
    DomainArgument domain;

    @NamedForm("snapshotname")
    @Parameters(index = "1", arity = "0..1", paramLabel = "SNAPSHOTNAME", description = "snapshot name")
    String snapshotName;

    @Option(names = "--current", description = "delete current snapshot")
    boolean current;

    @Option(names = "--children", description = "delete snapshot and all children")
    boolean children;

    @Option(names = "--children-only", description = "delete children but not snapshot")
    boolean childrenOnly;

    @Option(names = "--metadata", description = "delete only libvirt metadata, leaving snapshot contents behind")
    boolean metadata;

    @Override
    public Integer call() {
        if (snapshotName != null && current) {
            throw new UsageException("--snapshotname and --current are mutually exclusive");
        }
        if (snapshotName == null && !current) {
            throw new UsageException("--snapshotname or --current is required");
        }
        DomainSession session = domain(domain.name(), "delete snapshots");
        DeleteSnapshot deletion = DeleteSnapshot.plan(session, snapshotName, children, childrenOnly, metadata);
        String confirmation = "Domain snapshot " + deletion.snapshot() + (childrenOnly ? " children" : "") + " deleted";
        if (dryRun()) {
            return PlanOutput.applyOrPrint(this, session, deletion, null);
        }
        try {
            return PlanOutput.applyOrPrint(this, session, deletion, confirmation);
        } catch (RuntimeException e) {
            throw new VirtThrottleException(
                    "Failed to delete snapshot " + deletion.snapshot() + ": " + e.getMessage(), e);
        } finally {
            Output out = output();
            for (String target : deletion.lifted().targets()) {
                out.debug("note: " + target + " ran without its throttle filters for "
                        + deletion.lifted().unthrottledMillis() + " ms while libvirt deleted the snapshot");
            }
        }
    }
}
