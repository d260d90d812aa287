package org.virtthrottle.app;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.model.Side;
import org.virtthrottle.plan.Migration;
import org.virtthrottle.xml.DiskInfo;

/**
 * Migrates a domain to another host as virsh migrate does, and makes its throttling live there.
 *
 * <p>libvirt < 11.2 knows nothing of our filters: the destination's QEMU starts without them, and
 * with --copy-storage-* libvirt mirrors each copied disk with blockdev-mirror, which QEMU refuses on
 * a disk behind them ("Need a root block node"). The mirror runs inside libvirt's migration job,
 * during which the passthrough cannot act, so the filters of the copied disks are lifted for the
 * whole call ({@link LiftedChains}). The live record travels in the live XML's metadata: after a
 * successful migration the domain is reconciled on the destination from it, by this command; after a
 * failed one the source is, which puts the lifted filters back. A domain that arrives paused
 * (--suspend) has its disks inactive until it is resumed, which QEMU's filters cannot sit on: it is
 * left for reconcile or watch after the resume.
 */
public final class Migrate {
    /** Progress of the migration as libvirt reports it: what is left of the total, in bytes. */
    @FunctionalInterface
    public interface Progress {
        void report(long remaining, long total);
    }

    /** How the migration went: the domain's name on the destination, the lifted disks, whether it was reconciled there. */
    public record Outcome(String destinationName, LiftedChains lifted, boolean reconciled) {}

    static final long POLL_MILLIS = 500;

    private Migrate() {}

    /** The disks whose filters come off: the copied ones (--migrate-disks, else every disk). */
    public static LiftedChains lift(DomainSession source, Migration migration) {
        if (!migration.copiesStorage()) {
            return LiftedChains.of(source, List.of());
        }
        List<String> disks = migration.disks().isEmpty() && source.isActive()
                ? source.xml(Side.LIVE).disks().stream().map(DiskInfo::target).toList()
                : migration.disks();
        return LiftedChains.of(source, disks);
    }

    /**
     * Runs the migration with the filters of {@code lifted} off, polling its progress every half second
     * and suspending the guest once {@code timeoutMillis} (0: never) has passed, as virsh does.
     *
     * @param debug where the destination session logs its calls
     */
    public static Outcome run(
            DomainSession source,
            Hypervisor destination,
            Migration migration,
            LiftedChains lifted,
            long timeoutMillis,
            Progress progress,
            Consumer<String> debug) {
        lifted.lift(source);
        try {
            call(source, destination, migration, timeoutMillis, progress);
        } catch (RuntimeException failure) {
            throw lifted.isEmpty() ? failure : lifted.restoreAfter(source, failure);
        }
        String name = migration.destinationName() != null ? migration.destinationName() : source.name();
        if (migration.suspend() || migration.offline()) {
            return new Outcome(name, lifted, false);
        }
        // this host's tiers: a member group is made there at its floor, not at its own limits, until a
        // watch --all there gives it its share of that host's budget
        try (DomainSession there = new DomainSessions(destination, debug)
                        .withTiers(source.tiers())
                        .open(name);
                DomainLock lock = there.lock()) {
            lifted.restore(there);
        } catch (RuntimeException e) {
            throw new VirtThrottleException(
                    "the domain migrated, but applying its throttling on " + destination.uri() + " failed: "
                            + e.getMessage() + " (run reconcile there)",
                    e);
        }
        return new Outcome(name, lifted, true);
    }

    /** The blocking libvirt call runs on its own thread, so this one can watch it as virsh does. */
    private static void call(
            DomainSession source, Hypervisor destination, Migration migration, long timeoutMillis, Progress progress) {
        long start = System.nanoTime();
        CompletableFuture<Void> running = CompletableFuture.runAsync(() -> source.migrate(destination, migration));
        boolean suspended = false;
        while (true) {
            try {
                running.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                // still running: report, and suspend on timeout
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new VirtThrottleException(e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new VirtThrottleException("interrupted while migrating " + source.name(), e);
            }
            try {
                source.jobProgress()
                        .filter(p -> p.total() > 0)
                        .ifPresent(p -> progress.report(p.remaining(), p.total()));
                if (!suspended && timeoutMillis > 0 && (System.nanoTime() - start) / 1_000_000 > timeoutMillis) {
                    source.suspend();
                    suspended = true;
                }
            } catch (RuntimeException e) {
                // the job may end between the poll and these calls; the migration's own result decides
            }
        }
    }
}
