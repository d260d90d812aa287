package org.virtthrottle.app;

import java.util.ArrayList;
import java.util.List;
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
 * detach-disk. The config side goes first (it can be undone); the live detach is the last step, as
 * it cannot be: libvirt asks the guest to let go of the device and returns, after a few seconds at
 * most, whether or not the guest did. So the disk's throttle filters stay on until the device is
 * really gone: a guest that holds on to it keeps it throttled, and the command says the detach is
 * pending. Once the device is gone, what is left of the disk in QEMU is deleted: our filters and the
 * nodes only they held (libvirt's own blockdev-del of its nodes fails while a filter still reads
 * from them); for a detach that completes later, reconcile (watch runs it on libvirt's
 * device-removed event) does the same.
 */
public final class DetachDisk {
    private DetachDisk() {}

    /** @param targetOrSource the disk's target, or its source path as virsh also accepts */
    public static Change plan(DomainSession domain, String targetOrSource, AffectedSides flags) {
        Set<Side> sides = flags.resolve(domain.isActive());
        Side lookIn = sides.contains(Side.LIVE) ? Side.LIVE : Side.CONFIG;
        String target = domain.xml(lookIn).targetOf(targetOrSource).orElse(targetOrSource);
        List<Step> steps = new ArrayList<>();
        if (sides.contains(Side.CONFIG)) {
            DiskInfo disk = ChainChecks.disk(domain, Side.CONFIG, target);
            steps.add(new Step(
                    "detach disk " + target + " (config)",
                    new Action.DetachDevice(Side.CONFIG, disk.elementXml()),
                    new Action.AttachDevice(Side.CONFIG, disk.elementXml())));
            if (!domain.isNative()) {
                MetadataSteps.record(domain, Side.CONFIG, recorded -> recorded.withChain(target, FilterChain.NONE))
                        .ifPresent(steps::add);
            }
        }
        if (!sides.contains(Side.LIVE)) {
            return Change.of(new Plan(steps));
        }
        DiskInfo disk = ChainChecks.disk(domain, Side.LIVE, target);
        steps.add(new Step(
                "detach disk " + target + " (live)", new Action.DetachDevice(Side.LIVE, disk.elementXml()), null));
        Plan detach = new Plan(steps);
        if (domain.isNative()) {
            // libvirt 11.2+ takes its own filters down with the disk
            return Change.of(detach, session -> {
                session.apply(detach);
                checkGone(session, target);
            });
        }
        LiveGraph graph = domain.liveGraph();
        LiveGraph afterRelease = graph.device(disk.alias()).map(graph::without).orElse(graph);
        Plan preview = detach.then(cleanUp(domain, afterRelease, target));
        return Change.of(preview, session -> {
            session.apply(detach);
            checkGone(session, target);
            try {
                session.apply(cleanUp(session, session.liveGraph(), target));
            } catch (VirtThrottleException e) {
                throw new VirtThrottleException(
                        "disk " + target + " is detached, but deleting what is left of it in QEMU failed: "
                                + e.getMessage() + " (reconcile deletes it)",
                        e);
            }
        });
    }

    /** Our nodes that no device reads through any more, what only they hold, and the chain's record. */
    private static Plan cleanUp(DomainSession domain, LiveGraph graph, String target) {
        List<Step> steps = new ArrayList<>();
        domain.leftovers(graph).forEach(orphan -> steps.add(ChainSteps.deleteOrphan(orphan)));
        MetadataSteps.record(domain, Side.LIVE, recorded -> recorded.withChain(target, FilterChain.NONE))
                .ifPresent(steps::add);
        return new Plan(steps);
    }

    /**
     * The {@code <disk>} element detach-disk would take away, as virsh detach-disk --print-xml prints
     * it: from the persistent XML with --config or --persistent, else from the current one.
     */
    public static String diskElement(DomainSession domain, String targetOrSource, AffectedSides flags) {
        Side side = flags.config() || flags.persistent() || !domain.isActive() ? Side.CONFIG : Side.LIVE;
        DomainXml xml = domain.xml(side);
        return xml.targetOf(targetOrSource)
                .flatMap(xml::diskAsVirshPrints)
                .orElseThrow(() ->
                        new VirtThrottleException("No disk found whose source path or target is " + targetOrSource));
    }

    private static void checkGone(DomainSession session, String target) {
        if (session.xml(Side.LIVE).disk(target).isPresent()) {
            throw new VirtThrottleException(
                    "detach of disk " + target + " is pending: the guest has not released the device yet;"
                            + " it stays attached, behind its throttle filters, until the guest lets go of it (then watch, or the next"
                            + " reconcile, deletes what is left)");
        }
    }
}
