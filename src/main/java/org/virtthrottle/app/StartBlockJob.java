package org.virtthrottle.app;

import java.util.ArrayList;
import java.util.List;
import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.model.FilterChain;
import org.virtthrottle.model.GroupName;
import org.virtthrottle.plan.Action;
import org.virtthrottle.plan.BlockJob;
import org.virtthrottle.plan.ChainSteps;
import org.virtthrottle.plan.Plan;
import org.virtthrottle.plan.Step;
import org.virtthrottle.qmp.LiveGraph;
import org.virtthrottle.xml.DiskInfo;

/**
 * Starts one of libvirt's block jobs (commit, copy, pull) on a disk, throttled or not.
 *
 * <p>libvirt < 11.2 names its own top node as the job's {@code device}, and QEMU's commit and mirror
 * refuse a node that has any parent but a device ("Need a root block node"): our filters above it.
 * So the filters are lifted (the device pointed back at libvirt's node, the filters deleted), the
 * job is started, and the same chain is built again right above whatever the device reads through
 * now: the job's own filter node for an active commit or a copy, which QEMU replaces in all its
 * parents (our top filter) by the new image at the pivot, or by the old one on abort, so the chain
 * follows the disk on its own. The disk runs unthrottled only between the lift and the splice.
 * A failure anywhere cancels the job and puts the chain back as it was.
 *
 * <p>libvirt 11.2+ names its top throttle filter as the job's device itself: the job is started as is.
 */
public final class StartBlockJob {
    /** Said in --dry-run plans where the node the chain goes back onto is known only once the job runs. */
    static final String JOB_TOP = "(the disk's top node once the job runs)";

    private StartBlockJob() {}

    public static Change plan(DomainSession domain, BlockJob job) {
        if (!domain.isActive()) {
            throw new VirtThrottleException("domain is not running");
        }
        DiskInfo disk = ChainChecks.liveDisk(domain, job.disk());
        domain.blockJob(disk.target()).ifPresent(running -> {
            throw new VirtThrottleException("disk " + disk.target() + " already has a block job (" + running.label()
                    + "): wait for it to end, or end it with blockjob --abort or --pivot");
        });
        Step start = new Step(
                "start " + job.label().toLowerCase(java.util.Locale.ROOT) + " on " + disk.target(),
                new Action.StartBlockJob(job),
                new Action.AbortBlockJob(disk.target()));
        if (domain.isNative() || !job.needsRootNode()) {
            return Change.of(new Plan(List.of(start)));
        }
        LiveGraph graph = domain.liveGraph();
        LiveGraph.Chain chain = ChainChecks.liveChain(graph, disk);
        FilterChain filters = new FilterChain(
                chain.groupIds().stream().map(GroupName::fromQomId).toList());
        if (filters.isEmpty()) {
            return Change.of(new Plan(List.of(start)));
        }
        String iothread = domain.iothreadQomId(disk);
        List<Step> first = new ArrayList<>(ChainSteps.rechain(
                chain, FilterChain.NONE, disk.target(), graph.nodes().keySet(), iothread));
        first.add(start);
        Plan lift = new Plan(first);
        // the lifted filters' names are free again when the chain is built anew
        java.util.Set<String> takenAfterLift =
                new java.util.HashSet<>(graph.nodes().keySet());
        chain.filters().forEach(f -> takenAfterLift.remove(f.name()));
        LiveGraph.Chain previewAfter = new LiveGraph.Chain(chain.device(), List.of(), JOB_TOP);
        Plan preview =
                lift.then(new Plan(ChainSteps.rechain(previewAfter, filters, disk.target(), takenAfterLift, iothread)));
        return Change.of(
                preview,
                session ->
                        PlanRunner.runStaged(lift, () -> splice(session, disk, filters, iothread), session.executor()));
    }

    /** The chain built again above what the device reads through now that the job runs. */
    private static Plan splice(DomainSession domain, DiskInfo disk, FilterChain filters, String iothread) {
        LiveGraph graph = domain.liveGraph();
        LiveGraph.Chain now = ChainChecks.liveChain(graph, disk);
        return new Plan(
                ChainSteps.rechain(now, filters, disk.target(), graph.nodes().keySet(), iothread));
    }
}
