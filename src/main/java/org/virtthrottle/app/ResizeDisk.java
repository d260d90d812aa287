package org.virtthrottle.app;

import java.util.List;
import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.plan.Action;
import org.virtthrottle.plan.ChainSteps;
import org.virtthrottle.plan.Plan;
import org.virtthrottle.plan.Step;
import org.virtthrottle.qmp.LiveGraph;
import org.virtthrottle.xml.DiskInfo;

/**
 * Resizes a disk's image through libvirt, then makes the guest see it: QEMU before 10.2 leaves the
 * throttle filters above the image (ours, or libvirt 11.2+'s own) at the old size, and the guest
 * sees the size of the top one.
 */
public final class ResizeDisk {
    private ResizeDisk() {}

    public static Change plan(DomainSession domain, String target, long bytes) {
        if (!domain.isActive()) {
            throw new VirtThrottleException("Requested operation is not valid: domain is not running");
        }
        DiskInfo disk = ChainChecks.liveDisk(domain, target);
        Plan resize = new Plan(List.of(new Step(
                "resize " + disk.target() + "'s image to " + bytes + " bytes",
                new Action.ResizeDisk(disk.target(), bytes),
                null)));
        LiveGraph before = domain.liveGraph();
        LiveGraph.Chain chain = ChainChecks.liveChain(before, disk);
        if (chain.filters().isEmpty()) {
            return Change.of(resize);
        }
        Plan preview = resize.then(new Plan(List.of(new Step(
                "pass the new size up through " + disk.target() + "'s throttle filters",
                new Action.Qmp(org.virtthrottle.qmp.QmpCommand.blockResize(
                        chain.filters().get(0).name(), bytes)),
                null))));
        return Change.of(
                preview, session -> PlanRunner.runStaged(resize, () -> sizeUp(session, disk), session.executor()));
    }

    /** The step passing the image's size (as QEMU now has it: libvirt may round it) up to the guest. */
    private static Plan sizeUp(DomainSession domain, DiskInfo disk) {
        LiveGraph graph = domain.liveGraph();
        return new Plan(ChainSteps.passSizeUp(graph, ChainChecks.liveChain(graph, disk), disk.target()).stream()
                .toList());
    }
}
