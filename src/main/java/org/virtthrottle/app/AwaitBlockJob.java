package org.virtthrottle.app;

import java.util.Optional;

/**
 * Waits for a disk's block job as virsh's {@code --wait} does: polls libvirt every half second,
 * reports progress, cancels the job when the timeout passes. A job that mirrors (copy, active
 * commit) is waited for until it is ready to pivot; any other until it is gone.
 */
public final class AwaitBlockJob {
    /** How a wait ended, as virsh words it. */
    public enum Outcome {
        /** The job is gone (a pull or a commit that is not active: done). */
        COMPLETED,
        /** A mirroring job has copied everything: it can be pivoted or finished. */
        READY,
        /** The timeout passed and the job was cancelled. */
        CANCELED,
        /** A mirroring job went away before it was ready: QEMU ended it with an error, or someone cancelled it. */
        FAILED
    }

    /** Progress as libvirt reports it: what is left of the total. */
    @FunctionalInterface
    public interface Progress {
        void report(long remaining, long total);
    }

    static final long POLL_MILLIS = 500;

    private AwaitBlockJob() {}

    /**
     * @param timeoutMillis 0 for none
     * @param asyncAbort on timeout, ask for the cancel without waiting until QEMU is done with it
     */
    public static Outcome await(
            DomainSession domain,
            String disk,
            boolean mirrors,
            long timeoutMillis,
            boolean asyncAbort,
            Progress progress) {
        long start = System.nanoTime();
        long lastCur = -1;
        long lastEnd = -1;
        while (true) {
            Optional<Domain.BlockJobInfo> job = domain.blockJob(disk);
            if (job.isEmpty()) {
                return mirrors ? Outcome.FAILED : Outcome.COMPLETED;
            }
            Domain.BlockJobInfo info = job.get();
            if (info.cur() != lastCur || info.end() != lastEnd) {
                progress.report(info.end() - info.cur(), info.end());
                lastCur = info.cur();
                lastEnd = info.end();
            }
            if (mirrors && info.ready()) {
                return Outcome.READY;
            }
            if (timeoutMillis > 0 && (System.nanoTime() - start) / 1_000_000 > timeoutMillis) {
                domain.endBlockJob(disk, false, asyncAbort);
                return Outcome.CANCELED;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                domain.endBlockJob(disk, false, asyncAbort);
                return Outcome.CANCELED;
            }
        }
    }
}
