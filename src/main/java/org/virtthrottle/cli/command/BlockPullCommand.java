package org.virtthrottle.cli.command;

import org.virtthrottle.app.AwaitBlockJob;
import org.virtthrottle.app.DomainSession;
import org.virtthrottle.app.UsageException;
import org.virtthrottle.plan.BlockJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "blockpull",
        description = {
            "Populate a disk from its backing image chain, as virsh blockpull (same options, words and exit status).",
            "QEMU's stream job works under throttle filters as they are: they stay on the disk and keep acting."
        })
public final class BlockPullCommand extends BlockJobStartCommand {
    @Option(names = "--base", paramLabel = "STRING", description = "path of backing file in chain for a partial pull")
    String base;

    @Option(
            names = "--timeout",
            paramLabel = "NUMBER",
            description = "with --wait, abort if pull exceeds timeout (in seconds)")
    String timeout;

    @Option(names = "--keep-relative", description = "keep the backing chain relatively referenced")
    boolean keepRelative;

    @Override
    boolean blocking() {
        return await;
    }

    @Override
    public Integer call() {
        if (verbose && !await) {
            throw new UsageException("Option --wait is required by option --verbose");
        }
        if (async && !await) {
            throw new UsageException("Option --wait is required by option --async");
        }
        // as virsh: --timeout is checked, and without --wait has no effect
        int seconds = Timeout.seconds(timeout);
        return start(new BlockJob.Pull(disk.path, base, bandwidthBytes(), keepRelative), seconds);
    }

    @Override
    String progressLabel() {
        return "Block Pull";
    }

    @Override
    String startedText(BlockJob job) {
        return "Block Pull started";
    }

    @Override
    int finish(DomainSession session, AwaitBlockJob.Outcome outcome) {
        switch (outcome) {
            case CANCELED:
                say(session, "\n", "Pull aborted");
                return 1;
            case FAILED:
                say(session, "\n", "Pull failed");
                return 1;
            default:
                say(session, "\n", "Pull complete");
                return 0;
        }
    }
}
