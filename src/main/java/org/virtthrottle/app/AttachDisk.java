package org.virtthrottle.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.model.FilterChain;
import org.virtthrottle.model.InvalidConfigException;
import org.virtthrottle.model.Side;
import org.virtthrottle.plan.Action;
import org.virtthrottle.plan.ChainSteps;
import org.virtthrottle.plan.Plan;
import org.virtthrottle.plan.Step;
import org.virtthrottle.qmp.LiveGraph;
import org.virtthrottle.xml.DiskDefinition;
import org.virtthrottle.xml.DiskInfo;

/**
 * attach-disk with --throttle-groups. libvirt attaches the disk (so domblklist, snapshots and
 * block jobs keep working); then the chain is spliced above the node libvirt gave it. Live first,
 * then config; a failure anywhere undoes everything done. The live record comes before the live
 * attach, so that a process killed after the attach leaves reconcile what it needs to finish it.
 */
public final class AttachDisk {
    private AttachDisk() {}

    public static Change plan(DomainSession domain, DiskDefinition disk, AffectedSides flags) {
        Set<Side> sides = flags.resolve(domain.isActive());
        FilterChain chain = validated(disk.chain());
        String target = disk.target();
        for (Side side : sides) {
            if (domain.xml(side).disk(target).isPresent()) {
                throw new VirtThrottleException("target " + target + " already exists in the "
                        + (side == Side.LIVE ? "running domain" : "persistent configuration"));
            }
            if (!chain.isEmpty()) {
                ChainChecks.canBeThrottled(
                        domain.xml(side).newDisk(disk.toXml(false)), side == Side.LIVE && !domain.isNative());
                // libvirt's words when it parses such a disk, as virsh attach-disk prints them
                ChainChecks.groupsExist(
                        domain,
                        side,
                        chain,
                        group -> new InvalidConfigException(
                                InvalidConfigException.Kind.XML_ERROR, "throttle group '" + group + "' not found"));
            }
        }
        if (domain.isNative()) {
            // libvirt 11.2+ builds the chain itself from the disk's <throttlefilters>
            String xml = disk.toXml(true);
            List<Step> steps = new ArrayList<>();
            for (Side side : List.of(Side.LIVE, Side.CONFIG)) {
                if (sides.contains(side)) {
                    steps.add(new Step(
                            "attach disk " + target + " (" + side.label() + ")",
                            new Action.AttachDevice(side, xml),
                            new Action.DetachDevice(side, xml)));
                }
            }
            return Change.of(new Plan(steps));
        }
        String xml = disk.toXml(false);
        List<Step> config = new ArrayList<>();
        if (sides.contains(Side.CONFIG)) {
            // recorded first: reconcile forgets a recorded chain of a disk that a killed process did not attach
            MetadataSteps.record(domain, Side.CONFIG, recorded -> recorded.withChain(target, chain))
                    .ifPresent(config::add);
            config.add(new Step(
                    "attach disk " + target + " (config)",
                    new Action.AttachDevice(Side.CONFIG, xml),
                    new Action.DetachDevice(Side.CONFIG, xml)));
        }
        if (!sides.contains(Side.LIVE)) {
            return Change.of(new Plan(config));
        }
        // the live record first: killed anywhere after it, reconcile builds the recorded chain over the
        // attached disk, or forgets it while the disk is not attached, so the disk never stays unthrottled
        Plan attach = recordLive(domain, target, chain)
                .then(new Plan(List.of(new Step(
                        "attach disk " + target + " (live)",
                        new Action.AttachDevice(Side.LIVE, xml),
                        new Action.DetachDevice(Side.LIVE, xml)))));
        LiveGraph.Device placeholder =
                new LiveGraph.Device("<device of " + target + ">", "<top node of " + target + ">");
        LiveGraph.Chain bare = new LiveGraph.Chain(placeholder, List.of(), placeholder.root());
        Integer iothread = domain.xml(Side.LIVE).newDisk(xml).iothread();
        List<Step> splicePreview = chain.isEmpty()
                ? List.of()
                : ChainSteps.rechain(bare, chain, target, Set.of(), iothread == null ? null : "iothread" + iothread);
        Plan preview = attach.then(new Plan(splicePreview)).then(new Plan(config));
        return Change.of(preview, session -> {
            try {
                PlanRunner.runStaged(
                        attach,
                        () -> {
                            List<Step> rest = new ArrayList<>();
                            if (!chain.isEmpty()) {
                                LiveGraph graph = session.liveGraph();
                                // what libvirt made of the disk decides how its filters go in (its IOThread above all)
                                DiskInfo attached = ChainChecks.disk(session, Side.LIVE, target);
                                ChainChecks.canBeThrottled(attached, true);
                                rest.addAll(ChainSteps.rechain(
                                        ChainChecks.liveChain(graph, attached),
                                        chain,
                                        target,
                                        graph.nodes().keySet(),
                                        session.iothreadQomId(attached)));
                            }
                            return new Plan(rest).then(new Plan(config));
                        },
                        session.executor());
            } catch (StepFailedException e) {
                throw withPendingDetach(session, target, e);
            }
        });
    }

    /** The undo detached the disk, but a guest may not have let go of it yet: then say so. */
    private static StepFailedException withPendingDetach(DomainSession session, String target, StepFailedException e) {
        try {
            if (session.xml(Side.LIVE).disk(target).isPresent()) {
                return new StepFailedException(
                        e.getMessage() + "; the undo's detach of disk " + target
                                + " is pending: the guest has not released the device yet (it goes when the guest lets go of it)",
                        e);
            }
        } catch (RuntimeException readFailed) {
            e.addSuppressed(readFailed);
        }
        return e;
    }

    /** libvirt refuses a disk's XML with a bad chain: its class on our words, as virsh attach-disk prints it. */
    private static FilterChain validated(FilterChain chain) {
        try {
            return chain.validated();
        } catch (InvalidConfigException e) {
            throw new InvalidConfigException(InvalidConfigException.Kind.XML_ERROR, e.getMessage());
        }
    }

    private static Plan recordLive(DomainSession domain, String target, FilterChain chain) {
        return new Plan(MetadataSteps.record(domain, Side.LIVE, recorded -> recorded.withChain(target, chain)).stream()
                .toList());
    }
}
