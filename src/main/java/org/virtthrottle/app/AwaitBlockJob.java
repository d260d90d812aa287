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

    /** How long libvirt may take to learn what QEMU's numbers already say: the job is ready. */
    static final long READY_EVENT_MILLIS = 10_000;

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

    /**
     * Ends a job {@link #await} found {@link Outcome#READY}: pivots it or finishes it. The numbers that
     * say ready come from QEMU, but libvirt lets a job pivot only once it has processed QEMU's
     * BLOCK_JOB_READY event, a moment later, and until then refuses with "block job '...' not ready for
     * pivot yet" (seen on libvirt 9.0 with a small disk copied at once): that refusal is retried for
     * {@link #READY_EVENT_MILLIS} at most; any other failure is thrown at once.
     */
    /**
     * {@code blockjob --pivot}/{@code --abort}: one call, as virsh makes, for a job that is not ready; for a
     * ready one (QEMU's numbers), libvirt's lag behind QEMU's event is waited for as {@link #end} does.
     */
    public static void endAsAsked(DomainSession domain, String disk, boolean pivot, boolean async) {
        if (pivot && domain.blockJob(disk).map(Domain.BlockJobInfo::ready).orElse(false)) {
            end(domain, disk, true, async);
        } else {
            domain.endBlockJob(disk, pivot, async);
        }
    }

    public static void end(DomainSession domain, String disk, boolean pivot, boolean async) {
        long deadline = System.nanoTime() + READY_EVENT_MILLIS * 1_000_000;
        while (true) {
            try {
                domain.endBlockJob(disk, pivot, async);
                return;
            } catch (RuntimeException e) {
                if (!String.valueOf(e.getMessage()).contains("not ready for pivot yet")
                        || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                domain.endBlockJob(disk, pivot, async);
                return;
            }
        }
    }
}
