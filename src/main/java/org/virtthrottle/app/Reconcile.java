package org.virtthrottle.app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.virtthrottle.model.DomainThrottleConfig;
import org.virtthrottle.model.FilterChain;
import org.virtthrottle.model.GroupName;
import org.virtthrottle.model.Side;
import org.virtthrottle.model.ThrottleGroup;
import org.virtthrottle.model.ThrottleLimits;
import org.virtthrottle.model.Tier;
import org.virtthrottle.plan.ChainSteps;
import org.virtthrottle.plan.FilterNodeNames;
import org.virtthrottle.plan.GroupSteps;
import org.virtthrottle.plan.Plan;
import org.virtthrottle.plan.Step;
import org.virtthrottle.qmp.LiveGraph;
import org.virtthrottle.xml.DiskInfo;
import org.virtthrottle.xml.DomainXml;

/**
 * Makes the running QEMU match what should be live, which libvirt < 11.2 does not apply when it
 * starts QEMU: missing groups created, changed limits set, missing or different chains spliced,
 * chains of ours that should not be there removed, orphan nodes of ours deleted. What it cannot fix
 * is reported as drift. Nodes that are not ours are never touched. The live state is read in three
 * QMP commands plus one per group (and query-iothreads when a disk runs in an IOThread).
 *
 * <p>What should be live (the truth model): every live change writes our live record, the metadata
 * element of the domain's live XML. libvirt keeps that XML across libvirtd restarts and carries it
 * with the domain: at boot it is a copy of the persistent config (config changes so apply at the
 * next start), and a restore, an incoming migration or a snapshot revert bring the record of what
 * was live when the state was saved or sent. So for a running domain the live record is the truth,
 * and live-only changes (including removals: the record is then kept, empty) survive libvirtd and
 * watch restarts. Only a running domain without any live record (started from a state saved before
 * virt-throttle was used on it) gets its persistent config.
 */
public final class Reconcile {
    /**
     * What a reconcile (or an {@link ApplyState apply}) changes or would, in words, the steps doing it,
     * and drift left as it is.
     */
    public record Result(String domain, List<String> changes, List<String> drift, Plan plan) implements Change.OfPlan {
        public boolean inSync() {
            return plan.isEmpty();
        }
    }

    private Reconcile() {}

    public static Result plan(DomainSession domain) {
        List<String> changes = new ArrayList<>();
        List<String> drift = new ArrayList<>();
        if (domain.isNative()) {
            return new Result(domain.name(), changes, nativeDrift(domain), new Plan(nativeSizes(domain, changes)));
        }
        if (!domain.isActive()) {
            return new Result(
                    domain.name(),
                    changes,
                    List.of("domain is not running: nothing to reconcile"),
                    new Plan(List.of()));
        }
        Side truth = truth(domain);
        Result live = toMatch(domain, creatable(domain.config(truth), drift), truth, false, changes, drift);
        return new Result(domain.name(), changes, drift, live.plan().then(forgetRemovedDisks(domain, changes)));
    }

    /**
     * The config's chains of disks the persistent definition no longer has (what a process killed
     * between recording a chain and attaching the disk, or between detaching it and forgetting the
     * chain, leaves; or a plain {@code virsh detach-disk --config}): forgotten, as nothing can use them.
     */
    private static Plan forgetRemovedDisks(DomainSession domain, List<String> changes) {
        if (!domain.isPersistent()) {
            return new Plan(List.of());
        }
        DomainXml persistent = domain.xml(Side.CONFIG); // read first, the config's record comes with it
        List<String> removed = domain.config(Side.CONFIG).chains().keySet().stream()
                .filter(target -> persistent.disk(target).isEmpty())
                .toList();
        removed.forEach(target -> changes.add(
                "forgot the throttle filters of " + target + " in the config, which no longer has that disk"));
        return new Plan(MetadataSteps.record(domain, Side.CONFIG, recorded -> {
                    DomainThrottleConfig kept = recorded;
                    for (String target : removed) {
                        kept = kept.withChain(target, FilterChain.NONE);
                    }
                    return kept;
                })
                .stream()
                .toList());
    }

    /**
     * The side that says what should be live on a running domain: the live record, or the persistent
     * config when there is none (see the class comment).
     */
    static Side truth(DomainSession domain) {
        return domain.hasRecord(Side.LIVE) ? Side.LIVE : Side.CONFIG;
    }

    /**
     * The steps that make the running QEMU (libvirt < 11.2) match {@code desired}, and the live record
     * say so. Groups QEMU has beyond {@code desired} are deleted when {@code deleteOthers} (apply
     * --prune), else reported as drift; {@code truth} is where {@code desired} came from, which says
     * whether a chain of a disk no longer attached is forgotten (the live record's) or is drift.
     */
    static Result toMatch(
            DomainSession domain,
            DomainThrottleConfig desired,
            Side truth,
            boolean deleteOthers,
            List<String> changes,
            List<String> drift) {
        List<Step> steps = new ArrayList<>();
        List<String> live = domain.liveGroupNames();
        DomainThrottleConfig wasLive = domain.config(Side.LIVE);
        for (ThrottleGroup group : desired.groups()) {
            Optional<Tier> tier = desired.tier(group.name()).flatMap(domain::tier);
            // QEMU has no share of this tier's for a group that was in no tier, or in another, live
            boolean joins = tier.isPresent() && !wasLive.tier(group.name()).equals(desired.tier(group.name()));
            reconcileGroup(domain, group, tier, joins, live.contains(group.name()), steps, changes);
        }
        LiveGraph graph = domain.liveGraph();
        Map<String, FilterChain> applied = new LinkedHashMap<>();
        for (DiskInfo disk : domain.xml(Side.LIVE).disks()) {
            reconcileDisk(domain, desired, graph, disk, steps, changes, drift, applied);
        }
        for (String target : desired.chains().keySet()) {
            if (domain.xml(Side.LIVE).disk(target).isEmpty()) {
                if (truth == Side.LIVE) {
                    changes.add("forgot the throttle filters of " + target + ", which is no longer attached");
                } else {
                    drift.add("disk " + target
                            + " has throttle filters in the config but is not attached to the running domain");
                }
            }
        }
        for (LiveGraph.BlockNode orphan : domain.leftovers(graph)) {
            steps.add(ChainSteps.deleteOrphan(orphan));
            changes.add("deleted " + ChainSteps.describeOrphan(orphan));
        }
        for (String group : live) {
            if (desired.group(group).isPresent()) {
                continue;
            }
            if (deleteOthers) {
                steps.add(GroupSteps.delete(group, domain.liveLimits(group).orElse(ThrottleLimits.NONE)));
                changes.add("deleted throttle group " + group);
            } else {
                drift.add("throttle group " + group + " is live but not in the " + source(truth) + " (left as it is)");
            }
        }
        DomainThrottleConfig record = liveRecord(desired, applied);
        // the record first, so that reconcile finishes what a killed process began (a group it finds
        // unrecorded it leaves alone); last when groups go, which must be gone before the record drops them
        boolean deletesGroups = live.stream()
                .anyMatch(group -> deleteOthers && desired.group(group).isEmpty());
        MetadataSteps.record(domain, Side.LIVE, recorded -> record)
                .ifPresent(step -> steps.add(deletesGroups ? steps.size() : 0, step));
        return new Result(domain.name(), changes, drift, new Plan(steps));
    }

    /**
     * libvirt 11.2+ applies throttling itself at every start, so nothing is changed; what QEMU has
     * that libvirt's live XML does not say, and config left in our metadata, is reported.
     */
    private static List<String> nativeDrift(DomainSession domain) {
        List<String> drift = new ArrayList<>();
        if (domain.xml(Side.CONFIG).hasPreNativeMetadata()) {
            drift.add("the config still holds virt-throttle's metadata from libvirt < 11.2: run migrate-config");
        }
        if (!domain.isActive()) {
            return drift;
        }
        DomainThrottleConfig live = domain.config(Side.LIVE);
        for (ThrottleGroup group : live.groups()) {
            Optional<ThrottleLimits> qemu = domain.liveLimits(group.name());
            if (qemu.isEmpty()) {
                drift.add("throttle group " + group.name() + " is in libvirt's live XML but not in QEMU");
            } else if (!qemu.get().normalized().equals(group.limits().normalized())) {
                drift.add("throttle group " + group.name() + " has other limits in QEMU than in libvirt's live XML");
            }
        }
        LiveGraph graph = domain.liveGraph();
        for (DiskInfo disk : domain.xml(Side.LIVE).disks()) {
            LiveGraph.Device device = graph.device(disk.alias()).orElse(null);
            if (device == null) {
                continue;
            }
            List<String> qemuChain = graph.chain(device).groupIds().stream()
                    .map(GroupName::fromQomId)
                    .toList();
            List<String> xmlChain =
                    live.chains().getOrDefault(disk.target(), FilterChain.NONE).groups();
            if (!qemuChain.equals(xmlChain)) {
                drift.add("disk " + disk.target() + " has throttle filters " + qemuChain + " in QEMU but " + xmlChain
                        + " in libvirt's live XML");
            }
        }
        return drift;
    }

    /**
     * libvirt 11.2+ leaves its own throttle filters at the old size when a disk is resized (before
     * QEMU 10.2): the one thing reconcile repairs there.
     */
    private static List<Step> nativeSizes(DomainSession domain, List<String> changes) {
        List<Step> steps = new ArrayList<>();
        if (!domain.isActive()) {
            return steps;
        }
        LiveGraph graph = domain.liveGraph();
        for (DiskInfo disk : domain.xml(Side.LIVE).disks()) {
            graph.device(disk.alias())
                    .flatMap(device -> ChainSteps.passSizeUp(graph, graph.chain(device), disk.target()))
                    .ifPresent(step -> {
                        steps.add(step);
                        changes.add("passed the new size of " + disk.target() + "'s image up to the guest");
                    });
        }
        return steps;
    }

    private static String source(Side truth) {
        return truth == Side.LIVE ? "live record" : "config";
    }

    /**
     * The config without the groups QEMU would refuse (a name it cannot take, limits it rejects, e.g.
     * written by hand or by an older version): each is reported, and the rest is still applied.
     */
    private static DomainThrottleConfig creatable(DomainThrottleConfig config, List<String> drift) {
        List<ThrottleGroup> groups = new ArrayList<>();
        for (ThrottleGroup group : config.groups()) {
            try {
                GroupName.checkForLive(group.name());
                group.limits().validated();
                groups.add(group);
            } catch (RuntimeException e) {
                drift.add("throttle group '" + group.name() + "' cannot be created live: " + e.getMessage());
            }
        }
        return new DomainThrottleConfig(groups, config.chains(), config.tiers());
    }

    /**
     * A tier's member keeps in QEMU its share of each rate the tier divides (the tier's to set, not
     * repaired back), within its own limit; one QEMU gets anew, or that joins the tier ({@code joins}),
     * starts at its floor.
     */
    private static void reconcileGroup(
            DomainSession domain,
            ThrottleGroup group,
            Optional<Tier> tier,
            boolean joins,
            boolean exists,
            List<Step> steps,
            List<String> changes) {
        if (!exists) {
            ThrottleLimits wanted = tier.map(t -> t.memberLimits(group.limits(), ThrottleLimits.NONE))
                    .orElse(group.limits())
                    .normalized();
            steps.add(GroupSteps.create(group.name(), wanted));
            changes.add("created throttle group " + group.name()
                    + tier.map(t -> " (at its floor in tier " + t.name() + ")").orElse(""));
            return;
        }
        Optional<ThrottleLimits> current = domain.liveLimits(group.name());
        ThrottleLimits share = joins ? ThrottleLimits.NONE : current.orElse(ThrottleLimits.NONE);
        ThrottleLimits wanted = tier.map(t -> t.memberLimits(group.limits(), share))
                .orElse(group.limits())
                .normalized();
        if (current.isPresent() && !current.get().normalized().equals(wanted)) {
            steps.add(GroupSteps.setLimits(group.name(), current.get(), wanted));
            changes.add("set limits of throttle group " + group.name()
                    + (joins
                            ? tier.map(t -> " (at its floor in tier " + t.name() + ")")
                                    .orElse("")
                            : ""));
        }
    }

    private static void reconcileDisk(
            DomainSession domain,
            DomainThrottleConfig desired,
            LiveGraph graph,
            DiskInfo disk,
            List<Step> steps,
            List<String> changes,
            List<String> drift,
            Map<String, FilterChain> applied) {
        LiveGraph.Device device = graph.device(disk.alias()).orElse(null);
        if (device == null) {
            return;
        }
        LiveGraph.Chain chain = graph.chain(device);
        FilterChain wanted = desired.chains().getOrDefault(disk.target(), FilterChain.NONE);
        boolean foreign = chain.filters().stream().anyMatch(f -> !FilterNodeNames.isOurs(f.name()));
        if (foreign) {
            drift.add("disk " + disk.target() + " has throttle nodes not made by virt-throttle (left as they are)");
            return;
        }
        if (!wanted.isEmpty()) {
            Optional<String> missing = wanted.groups().stream()
                    .filter(g -> desired.group(g).isEmpty())
                    .findFirst();
            if (missing.isPresent()) {
                drift.add("disk " + disk.target() + " names throttle group " + missing.get()
                        + ", which is not among the groups or cannot be created live");
                return;
            }
        }
        String iothread;
        try {
            if (!wanted.isEmpty()) {
                ChainChecks.canBeThrottled(disk, true);
            }
            iothread = domain.iothreadQomId(disk);
        } catch (RuntimeException e) {
            drift.add(e.getMessage());
            return;
        }
        List<Step> rechain =
                ChainSteps.rechain(chain, wanted, disk.target(), graph.nodes().keySet(), iothread);
        if (rechain.isEmpty()) {
            ChainSteps.passSizeUp(graph, chain, disk.target()).ifPresent(step -> {
                steps.add(step);
                changes.add("passed the new size of " + disk.target() + "'s image up to the guest");
            });
        } else {
            steps.addAll(rechain);
            changes.add(
                    wanted.isEmpty()
                            ? "removed the throttle filters of " + disk.target()
                            : "set the throttle filters of " + disk.target() + " to "
                                    + String.join(",", wanted.groups()));
        }
        if (!wanted.isEmpty()) {
            applied.put(disk.target(), wanted);
        }
    }

    /** What is live after the reconcile: the configured groups and the chains that were applied. */
    private static DomainThrottleConfig liveRecord(DomainThrottleConfig desired, Map<String, FilterChain> applied) {
        return new DomainThrottleConfig(desired.groups(), applied, desired.tiers());
    }
}
