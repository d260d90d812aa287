package org.virtthrottle.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.model.DomainThrottleConfig;
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
 * detach-disk: the chain comes down first (device back on the disk's own node, filters deleted top
 * down), so libvirt's own blockdev-del never meets "Block device is in use"; the chain record goes
 * with the disk. The live detach cannot be undone (the guest may already have let go of the
 * device), so it is the last step: everything before it can still be rolled back.
 */
public final class DetachDisk {
    private DetachDisk() {
    }

    /** @param targetOrSource the disk's target, or its source path as virsh also accepts */
    public static Plan plan(DomainSession domain, String targetOrSource, AffectedSides flags) {
        Set<Side> sides = flags.resolve(domain.isActive());
        Side lookIn = sides.contains(Side.LIVE) ? Side.LIVE : Side.CONFIG;
        String target = domain.xml(lookIn).targetOf(targetOrSource).orElse(targetOrSource);
        List<Step> steps = new ArrayList<>();
        if (sides.contains(Side.CONFIG)) {
            DiskInfo disk = ChainChecks.disk(domain, Side.CONFIG, target);
            steps.add(new Step("detach disk " + target + " (config)", new Action.DetachDevice(Side.CONFIG, disk.elementXml()),
                    new Action.AttachDevice(Side.CONFIG, disk.elementXml())));
            if (!domain.isNative()) {
                forget(domain, Side.CONFIG, target, steps);
            }
        }
        if (sides.contains(Side.LIVE) && domain.isNative()) {
            // libvirt 11.2+ takes its own filters down with the disk
            DiskInfo disk = ChainChecks.disk(domain, Side.LIVE, target);
            steps.add(new Step("detach disk " + target + " (live)", new Action.DetachDevice(Side.LIVE, disk.elementXml()), null));
        } else if (sides.contains(Side.LIVE)) {
            DiskInfo disk = ChainChecks.disk(domain, Side.LIVE, target);
            LiveGraph graph = domain.liveGraph();
            LiveGraph.Device device = graph.device(disk.alias()).orElse(null);
            if (device != null) {
                steps.addAll(ChainSteps.rechain(graph.chain(device), FilterChain.NONE, target, graph.nodes().keySet()));
            }
            forget(domain, Side.LIVE, target, steps);
            steps.add(new Step("detach disk " + target + " (live)", new Action.DetachDevice(Side.LIVE, disk.elementXml()), null));
        }
        return new Plan(steps);
    }

    /**
     * The {@code <disk>} element detach-disk would take away, as virsh detach-disk --print-xml prints
     * it: from the persistent XML with --config or --persistent, else from the current one.
     */
    public static String diskElement(DomainSession domain, String targetOrSource, AffectedSides flags) {
        Side side = flags.config() || flags.persistent() || !domain.isActive() ? Side.CONFIG : Side.LIVE;
        DomainXml xml = domain.xml(side);
        return xml.targetOf(targetOrSource).flatMap(xml::diskAsVirshPrints)
                .orElseThrow(() -> new VirtThrottleException("No disk found whose source path or target is " + targetOrSource));
    }

    private static void forget(DomainSession domain, Side side, String target, List<Step> steps) {
        DomainThrottleConfig recorded = domain.config(side);
        MetadataSteps.record(side, recorded, recorded.withChain(target, FilterChain.NONE)).ifPresent(steps::add);
    }
}
