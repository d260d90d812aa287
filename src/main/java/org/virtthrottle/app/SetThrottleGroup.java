package org.virtthrottle.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.virtthrottle.model.DomainThrottleConfig;
import org.virtthrottle.model.GroupName;
import org.virtthrottle.model.LimitsUpdate;
import org.virtthrottle.model.Side;
import org.virtthrottle.model.ThrottleGroup;
import org.virtthrottle.model.ThrottleLimits;
import org.virtthrottle.model.Tier;
import org.virtthrottle.plan.GroupSteps;
import org.virtthrottle.plan.Plan;
import org.virtthrottle.plan.Step;
import org.virtthrottle.qmp.QmpException;

/**
 * Adds a throttle group or merge-updates an existing one. Live: {@code object-add} for a new
 * group, {@code qom-set limits} for an existing one, always with the full merged limits so QEMU
 * ends up with exactly what was validated and recorded. Live steps come first.
 *
 * <p>The live side is planned from our live record (what we last applied), which costs no QMP
 * read: one QMP command per change, as with a hand-made qom-set. When QEMU shows the record is
 * stale (the object is gone after a restart, or exists without a record), the plan is undone,
 * made again from QEMU's own values, and applied.
 *
 * <p>A member of a tier (see {@link org.virtthrottle.model.Tier}) has in QEMU its own limits except for
 * the rates its tier divides, which stay at its current share (read from QEMU), within its own limit;
 * a group that joins starts at its floor, and one that leaves gets its own limits back.
 */
public final class SetThrottleGroup {
    private SetThrottleGroup() {}

    public static Change plan(DomainSession domain, String group, LimitsUpdate update, AffectedSides flags) {
        return plan(domain, group, update, Optional.empty(), flags);
    }

    /** @param tier the tier the group joins, "" to leave its tier, empty to keep its membership */
    public static Change plan(
            DomainSession domain, String group, LimitsUpdate update, Optional<String> tier, AffectedSides flags) {
        Set<Side> sides = flags.resolve(domain.isActive());
        // a config group is made live when the domain starts: a name QEMU cannot take is refused everywhere
        GroupName.checkForLive(group);
        tier.filter(t -> !t.isEmpty()).ifPresent(t -> domain.tier(t).orElseThrow(() -> Tier.notFound(t)));
        if (domain.isNative()) {
            return Change.of(nativePlan(domain, group, update, tier, sides));
        }
        Plan fromRecord = build(domain, group, update, tier, sides, false);
        return Change.of(fromRecord, session -> {
            try {
                session.apply(fromRecord);
            } catch (StepFailedException e) {
                if (!(e.getCause() instanceof QmpException q) || !(q.isNotFound() || q.isDuplicate())) {
                    throw e;
                }
                session.apply(build(session, group, update, tier, sides, true));
            }
        });
    }

    /**
     * libvirt 11.2+: one virDomainSetThrottleGroup per side, live first, with the whole merged result
     * (zeros included), so libvirt ends with exactly what was validated, as on older hosts.
     *
     * <p>Tier membership is recorded in our metadata element (its {@code <tiers>} alone). Live, libvirt's
     * limits of a member are its own with its share in each rate the tier divides, so the member's own
     * limits are recorded beside its membership, before libvirt gets the share (a process killed between
     * the two leaves a member at its own limits, which the next interval of watch divides), and a member
     * that leaves gets them back from libvirt before its record goes. In the config libvirt's limits stay
     * the group's own (a domain starts with them; watch divides them at its next interval).
     */
    private static Plan nativePlan(
            DomainSession domain, String group, LimitsUpdate update, Optional<String> tier, Set<Side> sides) {
        List<Step> steps = new ArrayList<>();
        UnaryOperator<DomainThrottleConfig> joining =
                recorded -> tier.map(t -> recorded.withTier(group, t)).orElse(recorded);
        if (sides.contains(Side.LIVE)) {
            Optional<ThrottleLimits> current =
                    domain.config(Side.LIVE).group(group).map(ThrottleGroup::limits);
            Optional<Tier> wasMember = domain.tierOf(Side.LIVE, group);
            Optional<Tier> member = tier.isEmpty() ? wasMember : tier.flatMap(domain::tier);
            ThrottleLimits merged =
                    update.applyTo(domain.ownLimits(Side.LIVE, group).orElse(ThrottleLimits.NONE));
            member.ifPresent(t -> t.checkMember(group, merged));
            ThrottleLimits share = wasMember.isPresent() ? current.orElse(ThrottleLimits.NONE) : ThrottleLimits.NONE;
            ThrottleLimits wanted =
                    member.map(t -> t.memberLimits(merged, share)).orElse(merged);
            Optional<Step> record = MetadataSteps.recordMembership(domain, Side.LIVE, recorded -> {
                DomainThrottleConfig after = joining.apply(recorded);
                return after.tier(group).isPresent() ? after.withOwnLimits(group, merged) : after;
            });
            boolean leaving = wasMember.isPresent() && member.isEmpty();
            if (!leaving) {
                record.ifPresent(steps::add);
            }
            // without tiers, always set (as before: libvirt ends with what was validated)
            boolean noTiers = tier.isEmpty() && wasMember.isEmpty();
            if (noTiers || current.isEmpty() || !current.get().normalized().equals(wanted.normalized())) {
                steps.add(GroupSteps.nativeSet(Side.LIVE, group, current, wanted));
            }
            if (leaving) {
                record.ifPresent(steps::add);
            }
        }
        if (sides.contains(Side.CONFIG)) {
            Optional<ThrottleLimits> current =
                    domain.config(Side.CONFIG).group(group).map(ThrottleGroup::limits);
            ThrottleLimits merged = update.applyTo(current.orElse(ThrottleLimits.NONE));
            joining.apply(domain.config(Side.CONFIG))
                    .tier(group)
                    .flatMap(domain::tier)
                    .ifPresent(t -> t.checkMember(group, merged));
            if (tier.isEmpty()
                    || current.isEmpty()
                    || !current.get().normalized().equals(merged.normalized())) {
                steps.add(GroupSteps.nativeSet(Side.CONFIG, group, current, merged));
            }
            MetadataSteps.recordMembership(domain, Side.CONFIG, joining).ifPresent(steps::add);
        }
        return new Plan(steps);
    }

    /**
     * The plan, with the live group's current limits from our record or (readQemu, and always for a
     * tier's member, whose QEMU limits are not its own) from QEMU.
     */
    private static Plan build(
            DomainSession domain,
            String group,
            LimitsUpdate update,
            Optional<String> tier,
            Set<Side> sides,
            boolean readQemu) {
        Optional<Tier> wasMember = domain.tierOf(Side.LIVE, group);
        Optional<Tier> member = tier.isEmpty() ? wasMember : tier.flatMap(domain::tier);
        Optional<ThrottleLimits> own = domain.config(Side.LIVE).group(group).map(ThrottleGroup::limits);
        Optional<ThrottleLimits> current = !sides.contains(Side.LIVE)
                ? Optional.empty()
                : readQemu || wasMember.isPresent() || member.isPresent() ? domain.liveLimits(group) : own;
        ThrottleLimits merged =
                update.applyTo((readQemu && wasMember.isEmpty() ? current : own).orElse(ThrottleLimits.NONE));
        UnaryOperator<DomainThrottleConfig> joining =
                recorded -> tier.map(t -> recorded.withTier(group, t)).orElse(recorded);
        MetadataSteps.Records records = MetadataSteps.record(
                domain,
                sides,
                recorded -> joining.apply(recorded.withGroup(new ThrottleGroup(group, merged))),
                recorded -> joining.apply(recorded.withGroup(new ThrottleGroup(
                        group,
                        update.applyTo(
                                recorded.group(group).map(ThrottleGroup::limits).orElse(ThrottleLimits.NONE))))));
        if (sides.contains(Side.CONFIG)) {
            DomainThrottleConfig after = joining.apply(domain.config(Side.CONFIG));
            after.tier(group)
                    .flatMap(domain::tier)
                    .ifPresent(t -> t.checkMember(
                            group,
                            update.applyTo(domain.config(Side.CONFIG)
                                    .group(group)
                                    .map(ThrottleGroup::limits)
                                    .orElse(ThrottleLimits.NONE))));
        }
        List<Step> steps = new ArrayList<>();
        if (sides.contains(Side.LIVE)) {
            member.ifPresent(t -> t.checkMember(group, merged));
            // a group that joins has its own limits in QEMU, not a share
            ThrottleLimits share = wasMember.isPresent() ? current.orElse(ThrottleLimits.NONE) : ThrottleLimits.NONE;
            ThrottleLimits wanted =
                    member.map(t -> t.memberLimits(merged, share)).orElse(merged);
            if (current.isPresent() && current.get().normalized().equals(wanted.normalized())) {
                records.live().ifPresent(steps::add);
            } else if (current.isEmpty()) {
                // recorded first: reconcile creates a recorded group that a killed process did not, but
                // leaves a group it finds unrecorded alone (it may not be ours)
                records.live().ifPresent(steps::add);
                steps.add(GroupSteps.create(group, wanted));
            } else {
                steps.add(GroupSteps.setLimits(group, current.get(), wanted));
                records.live().ifPresent(steps::add);
            }
        }
        records.config().ifPresent(steps::add);
        return new Plan(steps);
    }
}
