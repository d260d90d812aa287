package org.virtthrottle.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.model.FilterChain;
import org.virtthrottle.model.Side;
import org.virtthrottle.plan.Action;
import org.virtthrottle.plan.ChainSteps;
import org.virtthrottle.plan.Plan;
import org.virtthrottle.plan.Step;
import org.virtthrottle.qmp.LiveGraph;
import org.virtthrottle.xml.DiskInfo;
import org.virtthrottle.xml.DomainXml;

/**
 * Sets the filter chain of an attached disk, live without detaching (upstream cannot): the
 * unchanged bottom of the chain stays, only what differs is rebuilt. An empty chain removes
 * throttling.
 */
public final class SetFilterChain {
    private SetFilterChain() {}

    /**
     * @param forceReattach on libvirt 11.2+, which cannot change an attached disk's filters: detach
     *     the disk and attach it again with the new ones (the guest sees it go and come back)
     */
    public static Change plan(
            DomainSession domain, String target, FilterChain chain, AffectedSides flags, boolean forceReattach) {
        Set<Side> sides = flags.resolve(domain.isActive());
        chain.validated();
        List<Step> steps = new ArrayList<>();
        MetadataSteps.Records records = domain.isNative()
                ? null
                : MetadataSteps.record(domain, sides, r -> r.withChain(target, chain), r -> r.withChain(target, chain));
        for (Side side : List.of(Side.LIVE, Side.CONFIG)) {
            if (!sides.contains(side)) {
                continue;
            }
            DiskInfo disk = ChainChecks.disk(domain, side, target);
            if (!chain.isEmpty()) {
                ChainChecks.canBeThrottled(disk, side == Side.LIVE && !domain.isNative());
                ChainChecks.groupsExist(
                        domain, side, chain, group -> new VirtThrottleException(NotFound.message(group, side)));
            }
            steps.addAll(
                    domain.isNative()
                            ? reattach(domain, side, disk, chain, forceReattach)
                            : rechain(
                                    domain, side, disk, chain, side == Side.LIVE ? records.live() : records.config()));
        }
        return Change.of(new Plan(steps));
    }

    /** libvirt < 11.2: splice the chain live, then its {@code record}. */
    private static List<Step> rechain(
            DomainSession domain, Side side, DiskInfo disk, FilterChain chain, Optional<Step> record) {
        List<Step> steps = new ArrayList<>();
        if (side == Side.LIVE) {
            LiveGraph graph = domain.liveGraph();
            steps.addAll(ChainSteps.rechain(
                    ChainChecks.liveChain(graph, disk),
                    chain,
                    disk.target(),
                    graph.nodes().keySet(),
                    domain.iothreadQomId(disk)));
        }
        record.ifPresent(steps::add);
        return steps;
    }

    /** libvirt 11.2+ cannot change an attached disk's filters: detach and attach again, when asked to. */
    private static List<Step> reattach(
            DomainSession domain, Side side, DiskInfo disk, FilterChain chain, boolean forceReattach) {
        FilterChain current = domain.config(side).chains().getOrDefault(disk.target(), FilterChain.NONE);
        if (current.equals(chain)) {
            return List.of();
        }
        if (!forceReattach) {
            throw new VirtThrottleException("libvirt 11.2+ cannot change the throttle filters of an attached disk ("
                    + disk.target() + ", " + side.label()
                    + "): add --force-reattach to detach it and attach it again with the new filters"
                    + " (the guest sees the disk go away and come back)");
        }
        String before = DomainXml.diskWithFilters(disk.elementXml(), current);
        String after = DomainXml.diskWithFilters(disk.elementXml(), chain);
        return List.of(
                new Step(
                        "detach disk " + disk.target() + " (" + side.label() + ")",
                        new Action.DetachDevice(side, disk.elementXml()),
                        new Action.AttachDevice(side, before)),
                new Step(
                        "attach disk " + disk.target() + " with the new filters (" + side.label() + ")",
                        new Action.AttachDevice(side, after),
                        new Action.DetachDevice(side, after)));
    }
}
