package org.virtthrottle.app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.model.DomainThrottleConfig;
import org.virtthrottle.model.FilterChain;
import org.virtthrottle.model.InvalidConfigException;
import org.virtthrottle.model.Side;
import org.virtthrottle.model.ThrottleGroup;
import org.virtthrottle.model.ThrottleLimits;
import org.virtthrottle.model.Tier;
import org.virtthrottle.plan.GroupSteps;
import org.virtthrottle.plan.Plan;
import org.virtthrottle.plan.Step;
import org.virtthrottle.state.DomainState;
import org.virtthrottle.state.StateDiff;
import org.virtthrottle.xml.DiskInfo;

/**
 * Makes one domain's throttling what a desired-state file says ({@code apply -f}). Live, the
 * difference is planned by {@link Reconcile}'s planner against what QEMU has, with the file's
 * groups and chains laid over what should be live; in the config, our metadata is rewritten when it
 * differs. Everything is checked while planning, so a caller that plans every domain first changes
 * nothing when any of them is wrong. Planned twice against the same state, the second plan is empty.
 */
public final class ApplyState {
    private ApplyState() {}

    /**
     * @param prune also delete the groups and chains the file does not name (else they are left as they are)
     * @throws VirtThrottleException naming the file's line, when the file asks for what the domain cannot have
     */
    public static Reconcile.Result plan(DomainSession domain, DomainState state, AffectedSides flags, boolean prune) {
        Set<Side> sides = flags.resolve(domain.isActive());
        checkMembers(domain, state);
        List<String> changes = new ArrayList<>();
        List<String> drift = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        for (Side side : List.of(Side.LIVE, Side.CONFIG)) {
            if (!sides.contains(side)) {
                continue;
            }
            List<String> sideChanges = new ArrayList<>();
            if (side == Side.LIVE && !domain.isNative()) {
                Side truth = Reconcile.truth(domain);
                DomainThrottleConfig desired =
                        checked(domain, state, side, state.desiredFrom(domain.config(truth), prune));
                steps.addAll(Reconcile.toMatch(domain, desired, truth, prune, sideChanges, drift)
                        .plan()
                        .steps());
                sideChanges.addAll(StateDiff.describeTiers(domain.config(Side.LIVE), desired));
            } else {
                // libvirt 11.2+: a live member's own limits, which its share (libvirt's limits) stays within
                DomainThrottleConfig current = domain.config(side).withMembersOwnLimits();
                DomainThrottleConfig desired = checked(domain, state, side, state.desiredFrom(current, prune));
                sideChanges.addAll(StateDiff.describe(current, desired));
                if (domain.isNative()) {
                    steps.addAll(nativeSteps(domain, state, side, current, desired));
                } else {
                    MetadataSteps.record(domain, side, recorded -> desired).ifPresent(steps::add);
                }
            }
            sideChanges.forEach(c -> changes.add(side.label() + ": " + c));
        }
        return new Reconcile.Result(
                domain.name(), changes, drift, new Plan(MetadataSteps.recordBothSidesAtOnce(domain, steps)));
    }

    /**
     * The member groups the domain will have where {@link TierMembers} looks (a running domain's live
     * record, a shut-off one's config): what the file makes of that side when the apply changes it,
     * else what it has.
     */
    public static Map<String, String> membersAfter(
            DomainSession domain, DomainState state, AffectedSides flags, boolean prune) {
        Side side = domain.isActive() ? Side.LIVE : Side.CONFIG;
        Side from = side == Side.LIVE && !domain.isNative() ? Reconcile.truth(domain) : side;
        DomainThrottleConfig now = domain.config(from);
        return flags.resolve(domain.isActive()).contains(side)
                ? state.desiredFrom(now, prune).tiers()
                : now.tiers();
    }

    /**
     * The checks {@code throttlegroupset --tier} makes, for each member group the file names: the tier
     * exists (in the file's tiers or the host's), and the group's own limits can stand beside a share.
     */
    private static void checkMembers(DomainSession domain, DomainState state) {
        state.tiers().forEach((group, tier) -> {
            String where = state.where("groups." + group);
            Tier budget = domain.tier(tier)
                    .orElseThrow(() -> new VirtThrottleException(where + ": tier '" + tier
                            + "' not found (neither the file's tiers: nor the host's tiers file has it)"));
            ThrottleLimits own = state.groups().stream()
                    .filter(g -> g.name().equals(group))
                    .findFirst()
                    .map(ThrottleGroup::limits)
                    .orElse(ThrottleLimits.NONE);
            try {
                budget.checkMember(group, own);
            } catch (InvalidConfigException e) {
                throw new VirtThrottleException(where + ": " + e.getMessage(), e);
            }
        });
    }

    /**
     * The checks the single-change commands make, for everything the file names on the side: each
     * disk exists and can be throttled there, and every chain of the result uses groups it has.
     */
    private static DomainThrottleConfig checked(
            DomainSession domain, DomainState state, Side side, DomainThrottleConfig desired) {
        boolean viaQmp = side == Side.LIVE && !domain.isNative();
        for (Map.Entry<String, FilterChain> named : state.disks().entrySet()) {
            String where = "disks." + named.getKey();
            try {
                DiskInfo disk = ChainChecks.disk(domain, side, named.getKey());
                if (!named.getValue().isEmpty()) {
                    ChainChecks.canBeThrottled(disk, viaQmp);
                    if (viaQmp) {
                        domain.iothreadQomId(disk);
                    }
                }
            } catch (VirtThrottleException e) {
                throw new VirtThrottleException(state.where(where) + ": " + e.getMessage(), e);
            }
        }
        desired.chains().forEach((target, chain) -> {
            Optional<String> missing = chain.groups().stream()
                    .filter(g -> desired.group(g).isEmpty())
                    .findFirst();
            if (missing.isPresent()) {
                String where = state.disks().containsKey(target) ? "disks." + target : "";
                throw new VirtThrottleException(state.where(where) + ": the throttle filters of " + target
                        + " use group '"
                        + missing.get() + "', which the " + side.label() + " would not have"
                        + (state.disks().containsKey(target) ? "" : " (list the group, or give the disk's filters)"));
            }
        });
        return desired;
    }

    /**
     * libvirt 11.2+: one virDomainSetThrottleGroup per new or changed group (with all 19 values, so the
     * result is exactly the file's), one virDomainDelThrottleGroup per pruned group. It cannot change
     * an attached disk's filters, so a file that would is refused.
     */
    private static List<Step> nativeSteps(
            DomainSession domain,
            DomainState state,
            Side side,
            DomainThrottleConfig current,
            DomainThrottleConfig desired) {
        Set<String> targets = new LinkedHashSet<>(current.chains().keySet());
        targets.addAll(desired.chains().keySet());
        for (String target : targets) {
            if (!current.chains()
                    .getOrDefault(target, FilterChain.NONE)
                    .equals(desired.chains().getOrDefault(target, FilterChain.NONE))) {
                throw new VirtThrottleException(state.where(state.disks().containsKey(target) ? "disks." + target : "")
                        + ": libvirt 11.2+ cannot change the throttle filters of an attached disk (" + target + ", "
                        + side.label() + "): use throttlefilterset --force-reattach");
            }
        }
        List<Step> steps = new ArrayList<>();
        DomainThrottleConfig libvirt = domain.config(side);
        // a member's new own limits and a deleted member's leave are recorded first, so that the own
        // limits are never lost while libvirt has a share; a group the file names without a tier leaves
        // it after libvirt has its own limits back
        Map<String, ThrottleLimits> newOwn = new LinkedHashMap<>();
        Map<String, String> joining = new LinkedHashMap<>();
        List<String> deleted = new ArrayList<>();
        List<String> leaving = new ArrayList<>();
        for (ThrottleGroup group : desired.groups()) {
            String name = group.name();
            Optional<String> wanted = desired.tier(name);
            Optional<String> had = libvirt.tier(name);
            boolean leaves = had.isPresent() && wanted.isEmpty();
            boolean joins = wanted.isPresent() && !wanted.equals(had);
            Optional<ThrottleGroup> old = current.group(name);
            if (!leaves
                    && !joins
                    && old.isPresent()
                    && old.get().limits().normalized().equals(group.limits().normalized())) {
                continue;
            }
            Optional<ThrottleLimits> inLibvirt = libvirt.group(name).map(ThrottleGroup::limits);
            // only the live side has a share; the config keeps the group's own limits
            Optional<Tier> tier = side == Side.LIVE ? wanted.flatMap(domain::tier) : Optional.empty();
            ThrottleLimits limits = group.limits();
            if (tier.isPresent()) {
                ThrottleLimits share = had.isPresent() ? inLibvirt.orElse(ThrottleLimits.NONE) : ThrottleLimits.NONE;
                limits = tier.get().memberLimits(group.limits(), share);
            }
            if (joins) {
                joining.put(name, wanted.get());
            }
            if (side == Side.LIVE && wanted.isPresent()) {
                newOwn.put(name, group.limits());
            }
            if (leaves) {
                leaving.add(name);
            }
            if (inLibvirt.isEmpty() || !inLibvirt.get().normalized().equals(limits.normalized())) {
                steps.add(GroupSteps.nativeSet(side, name, inLibvirt, limits));
            }
        }
        for (ThrottleGroup group : libvirt.groups()) {
            if (desired.group(group.name()).isEmpty()) {
                steps.add(GroupSteps.nativeDelete(side, group.name(), group.limits()));
                if (libvirt.tier(group.name()).isPresent()) {
                    deleted.add(group.name());
                }
            }
        }
        UnaryOperator<DomainThrottleConfig> first = c -> {
            DomainThrottleConfig after = c;
            for (Map.Entry<String, String> member : joining.entrySet()) {
                after = after.withTier(member.getKey(), member.getValue());
            }
            for (Map.Entry<String, ThrottleLimits> own : newOwn.entrySet()) {
                after = after.withOwnLimits(own.getKey(), own.getValue());
            }
            for (String group : deleted) {
                after = after.withTier(group, "");
            }
            return after;
        };
        UnaryOperator<DomainThrottleConfig> then = c -> {
            DomainThrottleConfig after = first.apply(c);
            for (String group : leaving) {
                after = after.withTier(group, "");
            }
            return after;
        };
        MetadataSteps.Records records = MetadataSteps.recordMembershipInTwo(domain, side, first, then);
        records.live().ifPresent(record -> steps.add(0, record));
        records.config().ifPresent(steps::add);
        return steps;
    }
}
