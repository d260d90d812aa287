package org.virtthrottle.app;

import java.util.ArrayList;
import java.util.List;
import org.virtthrottle.model.FilterChain;
import org.virtthrottle.model.GroupName;
import org.virtthrottle.model.Side;
import org.virtthrottle.qmp.LiveGraph;
import org.virtthrottle.xml.DiskInfo;

/** Each disk's filter chain: live as QEMU's graph has it (with node names), or as configured. */
public final class ListFilterChains {
    /** A disk's chain, groups image side first; {@code nodes} in the same order, live only. */
    public record DiskChain(String target, List<String> groups, List<String> nodes) {}

    private ListFilterChains() {}

    public static List<DiskChain> read(DomainSession domain, boolean inactive) {
        Side side = domain.readSide(inactive);
        List<DiskChain> result = new ArrayList<>();
        if (side == Side.CONFIG) {
            var chains = domain.config(Side.CONFIG).chains();
            for (DiskInfo disk : domain.xml(Side.CONFIG).disks()) {
                FilterChain c = chains.getOrDefault(disk.target(), FilterChain.NONE);
                result.add(new DiskChain(disk.target(), c.groups(), List.of()));
            }
            return result;
        }
        LiveGraph graph = domain.liveGraph();
        for (DiskInfo disk : domain.xml(Side.LIVE).disks()) {
            LiveGraph.Device device = graph.device(disk.alias()).orElse(null);
            List<String> groups = new ArrayList<>();
            List<String> nodes = new ArrayList<>();
            if (device != null) {
                for (LiveGraph.BlockNode filter : graph.chain(device).bottomUp()) {
                    groups.add(GroupName.fromQomId(filter.throttleGroup()));
                    nodes.add(filter.name());
                }
            }
            result.add(new DiskChain(disk.target(), groups, nodes));
        }
        return result;
    }
}
