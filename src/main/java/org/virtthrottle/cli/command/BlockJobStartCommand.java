package org.virtthrottle.cli.command;

import org.virtthrottle.app.AwaitBlockJob;
import org.virtthrottle.app.Change;
import org.virtthrottle.app.DomainSession;
import org.virtthrottle.app.StartBlockJob;
import org.virtthrottle.app.UsageException;
import org.virtthrottle.cli.output.Output;
import org.virtthrottle.cli.output.PlanOutput;
import org.virtthrottle.plan.BlockJob;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What virsh's blockcommit, blockcopy and blockpull share: the disk, the bandwidth, and waiting for
 * the job with its progress, timeout and words. Starting goes through {@link StartBlockJob}, which
 * keeps a throttled disk's filter chain on top of the job.
 */
abstract class BlockJobStartCommand extends ChangingCommand {
    @Mixin
    BlockDiskArguments disk;

    @Option(names = "--bandwidth", paramLabel = "NUMBER", description = "bandwidth limit in MiB/s")
    String bandwidth;

    @Option(names = "--bytes", description = "the bandwidth limit is in bytes/s rather than MiB/s")
    boolean bytes;

    @Option(names = "--wait", description = "wait for job to complete")
    boolean await;

    @Option(names = "--verbose", description = "with --wait, display the progress")
    boolean verbose;

    @Option(names = "--async", description = "with --wait, don't wait for cancel to finish")
    boolean async;

    /** The bandwidth in bytes/s, as virsh reads the option (0: unlimited). */
    long bandwidthBytes() {
        return Bandwidth.bytesPerSecond(bandwidth, bytes);
    }

    /** Whether the command waits for the job (each command has its own options that imply --wait). */
    abstract boolean blocking();

    /** virsh's label for the progress line. */
    abstract String progressLabel();

    /** What virsh prints when the job was started without waiting. */
    abstract String startedText(BlockJob job);

    /** What is done and printed once the wait ends; the exit status. */
    abstract int finish(DomainSession session, AwaitBlockJob.Outcome outcome);

    /**
     * Starts the job (or prints its plan), then waits for it when asked.
     *
     * @param timeoutSeconds 0 for none
     */
    int start(BlockJob job, int timeoutSeconds) {
        DomainSession session = domain(disk.domain(), "start block jobs");
        Change change = StartBlockJob.plan(session, job);
        Output out = output();
        if (dryRun()) {
            return PlanOutput.applyOrPrint(this, session, change, null);
        }
        long started = System.nanoTime();
        change.apply(session);
        if (verbose && change.preview().steps().size() > 1) {
            out.debug("note: " + disk.path + " ran without its throttle filters for at most "
                    + (System.nanoTime() - started) / 1_000_000 + " ms while the job started");
        }
        if (!blocking()) {
            say(session, "", startedText(job));
            return 0;
        }
        AwaitBlockJob.Outcome outcome = AwaitBlockJob.await(
                session, disk.path, job.mirrors(), timeoutSeconds * 1000L, async, (remaining, total) -> {
                    if (verbose) {
                        out.progress(progressLabel(), remaining, total);
                    }
                });
        if (verbose && (outcome == AwaitBlockJob.Outcome.COMPLETED || outcome == AwaitBlockJob.Outcome.READY)) {
            out.progress(progressLabel(), 0, 1);
        }
        return finish(session, outcome);
    }

    /**
     * Prints the job's result as virsh does (after a progress line, {@code lead} is its line end), or
     * with --json as the command's document.
     */
    void say(DomainSession session, String lead, String words) {
        Output out = output();
        if (out.json()) {
            var document = out.document(session.name(), null);
            document.put("disk", disk.path);
            document.put("result", words);
            out.json(document);
        } else {
            out.extra(lead + words);
        }
    }

    /** virsh's "--verbose requires at least one of ..." for an option that needs the wait. */
    void requireBlocking(String impliers) {
        if (verbose && !blocking()) {
            throw new UsageException("--verbose requires at least one of " + impliers);
        }
        if (async && !blocking()) {
            throw new UsageException("--async requires at least one of " + impliers);
        }
    }

    /** Ends a ready job by pivoting or cancelling it, with virsh's words when libvirt refuses. */
    void end(DomainSession session, boolean pivot, String failure) {
        try {
            AwaitBlockJob.end(session, disk.path, pivot, async);
        } catch (RuntimeException e) {
            throw new org.virtthrottle.VirtThrottleException(failure + " " + disk.path + ": " + e.getMessage());
        }
    }
}
