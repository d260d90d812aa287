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

    public static Plan plan(DomainSession domain, String target, FilterChain chain, AffectedSides flags) {
        Set<Side> sides = flags.resolve(domain.isActive());
        chain.validated();
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
}
