package org.virtthrottle.app;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.model.FilterChain;
import org.virtthrottle.model.Side;
import org.virtthrottle.plan.ChainSteps;
import org.virtthrottle.plan.Plan;
import org.virtthrottle.plan.Step;
import org.virtthrottle.qmp.LiveGraph;
import org.virtthrottle.xml.DiskInfo;

/**
 * The throttle filters of some disks, taken off for a libvirt call that QEMU refuses while they are
 * on ("Need a root block node": block-commit and the mirrors take a disk's node only when nothing
 * but the device reads through it) and that runs inside a libvirt async job, during which the
 * monitor passthrough cannot act, so they cannot be spliced back during the call as
 * {@link StartBlockJob} does. The live record is not touched: it still says what should be live, and
 * {@link #restore} makes QEMU match it again with {@link Reconcile}, wherever the domain runs after
 * the call. libvirt 11.2+ and shut-off domains have nothing to lift.
 */
public final class LiftedChains {
    private final List<String> targets;
    private final Plan plan;
    private long liftedAt;
    private long unthrottledMillis;

    private LiftedChains(List<String> targets, Plan plan) {
        this.targets = List.copyOf(targets);
        this.plan = plan;
    }

    /** The chains of these disks (by target or source path) that QEMU has now; disks without one are left out. */
    static LiftedChains of(DomainSession domain, Collection<String> disks) {
        if (domain.isNative() || !domain.isActive() || disks.isEmpty()) {
            return new LiftedChains(List.of(), new Plan(List.of()));
        }
        LiveGraph graph = domain.liveGraph();
        Set<String> taken = new HashSet<>(graph.nodes().keySet());
        List<String> targets = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        for (String name : disks) {
            DiskInfo disk = domain.xml(Side.LIVE).diskNamed(name).orElse(null);
            LiveGraph.Device device =
                    disk == null ? null : graph.device(disk.alias()).orElse(null);
            if (device == null || targets.contains(disk.target())) {
                continue;
            }
            LiveGraph.Chain chain = graph.chain(device);
            if (chain.filters().isEmpty()) {
                continue;
            }
            steps.addAll(ChainSteps.rechain(chain, FilterChain.NONE, disk.target(), taken, domain.iothreadQomId(disk)));
            targets.add(disk.target());
        }
        return new LiftedChains(targets, new Plan(steps));
    }

    /** The targets of the disks whose filters come off. */
    public List<String> targets() {
        return targets;
    }

    public boolean isEmpty() {
        return targets.isEmpty();
    }

    /** The steps that take the filters off. */
    Plan plan() {
        return plan;
    }

    /** Takes the filters off; a failure puts back what was taken, and the caller must not go on. */
    void lift(DomainSession session) {
        liftedAt = System.nanoTime();
        session.apply(plan);
    }

    /**
     * Runs {@code call} on the domain with the filters off, then puts them back on it, whether the call
     * succeeded or not; the call's failure is thrown after that.
     */
    void around(DomainSession session, Runnable call) {
        if (isEmpty()) {
            call.run();
            return;
        }
        lift(session);
        try {
            call.run();
        } catch (RuntimeException failure) {
            throw restoreAfter(session, failure);
        }
        restore(session);
    }

    /**
     * Puts the filters back on the domain as it runs now (the source after a failed call, the
     * destination after a migration), from its live record.
     */
    void restore(DomainSession session) {
        try {
            Reconcile.plan(session).apply(session);
        } finally {
            unthrottledMillis = (System.nanoTime() - liftedAt) / 1_000_000;
        }
    }

    /** {@link #restore} after the call failed: the call's failure, with the restore's if it failed too. */
    RuntimeException restoreAfter(DomainSession session, RuntimeException failure) {
        try {
            restore(session);
            return failure;
        } catch (RuntimeException e) {
            return new VirtThrottleException(
                    failure.getMessage() + "; putting the throttle filters of " + String.join(", ", targets)
                            + " back failed too: " + e.getMessage() + " (run reconcile " + session.name() + ")",
                    failure);
        }
    }

    /** How long the disks ran without their filters: from the lift until they were back (or the restore failed). */
    public long unthrottledMillis() {
        return unthrottledMillis;
    }
}
