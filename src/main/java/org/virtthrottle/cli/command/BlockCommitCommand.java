package org.virtthrottle.cli.command;

import org.virtthrottle.app.AwaitBlockJob;
import org.virtthrottle.app.DomainSession;
import org.virtthrottle.plan.BlockJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "blockcommit",
        description = {
            "Start a block commit operation, as virsh blockcommit (same options, words and exit status).",
            "On a disk behind throttle filters (libvirt < 11.2, where QEMU refuses the job with \"Need a root "
                    + "block node\"), the filters are lifted for the start of the job and put back right above the "
                    + "job's own node, so that the pivot leaves them on the base image; the disk runs unthrottled "
                    + "only for those few milliseconds (--verbose says how long). On libvirt 11.2+ libvirt does it itself."
        })
public final class BlockCommitCommand extends BlockJobStartCommand {
    @Option(
            names = "--base",
            paramLabel = "STRING",
            description = "path of base file to commit into (default bottom of chain)")
    String base;

    @Option(names = "--shallow", description = "use backing file of top as base")
    boolean shallow;

    @Option(
            names = "--top",
            paramLabel = "STRING",
            description = "path of top file to commit from (default top of chain)")
    String top;

    @Option(names = "--active", description = "trigger two-stage active commit of top file")
    boolean active;

    @Option(names = "--delete", description = "delete files that were successfully committed")
    boolean delete;

    @Option(
            names = "--timeout",
            paramLabel = "NUMBER",
            description = "implies --wait, abort if copy exceeds timeout (in seconds)")
    String timeout;

    @Option(names = "--pivot", description = "implies --active --wait, pivot when commit is synced")
    boolean pivot;

    @Option(names = "--keep-overlay", description = "implies --active --wait, quit when commit is synced")
    boolean keepOverlay;

    @Option(names = "--keep-relative", description = "keep the backing chain relatively referenced")
    boolean keepRelative;

    private boolean isActive() {
        return active || pivot || keepOverlay;
    }

    @Override
    boolean blocking() {
        return await || pivot || keepOverlay || timeout != null;
    }

    @Override
    public Integer call() {
        ExclusiveOptions.check(pivot, "pivot", keepOverlay, "keep-overlay");
        requireBlocking("--timeout, --wait, --pivot, or --keep-overlay");
        int seconds = Timeout.seconds(timeout);
        return start(
                new BlockJob.Commit(disk.path, base, top, bandwidthBytes(), isActive(), shallow, delete, keepRelative),
                seconds);
    }

    @Override
    String progressLabel() {
        return "Block commit";
    }

    @Override
    String startedText(BlockJob job) {
        return isActive() ? "Active Block Commit started" : "Block Commit started";
    }

    @Override
    int finish(DomainSession session, AwaitBlockJob.Outcome outcome) {
        switch (outcome) {
            case CANCELED:
                say(session, "\n", "Commit aborted");
                return 1;
            case FAILED:
                say(session, "\n", "Commit failed");
                return 1;
            default:
                break;
        }
        if (!isActive()) {
            say(session, "\n", "Commit complete");
        } else if (pivot) {
            end(session, true, "failed to pivot job for disk");
            say(session, "\n", "Successfully pivoted");
        } else if (keepOverlay) {
            end(session, false, "failed to finish job for disk");
            say(session, "\n", "Commit complete, overlay image kept");
        } else {
            say(session, "\n", "Now in synchronized phase");
        }
        return 0;
    }
}
