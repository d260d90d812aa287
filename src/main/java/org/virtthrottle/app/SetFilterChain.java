package org.virtthrottle.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.virtthrottle.model.DomainThrottleConfig;
import org.virtthrottle.model.FilterChain;
import org.virtthrottle.model.Side;
import org.virtthrottle.plan.ChainSteps;
import org.virtthrottle.plan.Plan;
import org.virtthrottle.plan.Step;
import org.virtthrottle.qmp.LiveGraph;
import org.virtthrottle.xml.DiskInfo;

/**
 * Sets the filter chain of an attached disk, live without detaching (upstream cannot): the
 * unchanged bottom of the chain stays, only what differs is rebuilt. An empty chain removes
 * throttling.
 */
public final class SetFilterChain {
    private SetFilterChain() {
    }

    /**
     * @param forceReattach on libvirt 11.2+, which cannot change an attached disk's filters: detach
     *     the disk and attach it again with the new ones (the guest sees it go and come back)
     */
    public static Plan plan(DomainSession domain, String target, FilterChain chain, AffectedSides flags, boolean forceReattach) {
        Set<Side> sides = flags.resolve(domain.isActive());
        chain.validated();
        if (domain.isNative()) {
            return nativePlan(domain, target, chain, sides, forceReattach);
        }
        List<Step> steps = new ArrayList<>();
        for (Side side : List.of(Side.LIVE, Side.CONFIG)) {
            if (!sides.contains(side)) {
                continue;
            }
            DiskInfo disk = ChainChecks.disk(domain, side, target);
            if (!chain.isEmpty()) {
                ChainChecks.canBeThrottled(disk, side == Side.LIVE);
                ChainChecks.groupsExist(domain, side, chain);
            }
            if (side == Side.LIVE) {
                LiveGraph graph = domain.liveGraph();
                steps.addAll(ChainSteps.rechain(ChainChecks.liveChain(graph, disk), chain, target, graph.nodes().keySet()));
            }
            DomainThrottleConfig recorded = domain.config(side);
            MetadataSteps.record(side, recorded, recorded.withChain(target, chain)).ifPresent(steps::add);
        }
        return new Plan(steps);
    }

    private static Plan nativePlan(DomainSession domain, String target, FilterChain chain, Set<Side> sides, boolean forceReattach) {
        List<Step> steps = new ArrayList<>();
        for (Side side : List.of(Side.LIVE, Side.CONFIG)) {
            if (!sides.contains(side)) {
                continue;
            }
            DiskInfo disk = ChainChecks.disk(domain, side, target);
            if (!chain.isEmpty()) {
                ChainChecks.canBeThrottled(disk, false);
                ChainChecks.groupsExist(domain, side, chain);
            }
            if (domain.config(side).chains().getOrDefault(target, new FilterChain(List.of())).equals(chain)) {
                continue;
            }
            if (!forceReattach) {
                throw new org.virtthrottle.VirtThrottleException("libvirt 11.2+ cannot change the throttle filters of an attached disk ("
                        + target + ", " + side.label() + "): add --force-reattach to detach it and attach it again with the new filters"
                        + " (the guest sees the disk go away and come back)");
            }
            String replaced = org.virtthrottle.xml.DomainXml.diskWithFilters(disk.elementXml(), chain);
            steps.add(new Step("detach disk " + target + " (" + side.label() + ")",
                    new org.virtthrottle.plan.Action.DetachDevice(side, disk.elementXml()),
                    new org.virtthrottle.plan.Action.AttachDevice(side, org.virtthrottle.xml.DomainXml.diskWithFilters(disk.elementXml(),
                            domain.config(side).chains().getOrDefault(target, new FilterChain(List.of()))))));
            steps.add(new Step("attach disk " + target + " with the new filters (" + side.label() + ")",
                    new org.virtthrottle.plan.Action.AttachDevice(side, replaced),
                    new org.virtthrottle.plan.Action.DetachDevice(side, replaced)));
        }
        return new Plan(steps);
    }
}
