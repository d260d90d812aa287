package org.virtthrottle.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.virtthrottle.model.DomainThrottleConfig;
import org.virtthrottle.model.Side;
import org.virtthrottle.plan.Action;
import org.virtthrottle.plan.Step;

/**
 * The step that records a changed config in our metadata, undone by writing the old one back (or
 * removing the element again where there was none).
 */
final class MetadataSteps {
    private MetadataSteps() {}

    /**
     * The records of a change on the {@code sides}: when it changes both, and both say the same before
     * and after it, one step writes both (so no kill can split them), in {@code live}.
     */
    record Records(Optional<Step> live, Optional<Step> config) {}

    static Records record(
            DomainSession domain,
            Set<Side> sides,
            UnaryOperator<DomainThrottleConfig> liveChange,
            UnaryOperator<DomainThrottleConfig> configChange) {
        Optional<Step> live = sides.contains(Side.LIVE) ? record(domain, Side.LIVE, liveChange) : Optional.empty();
        Optional<Step> config =
                sides.contains(Side.CONFIG) ? record(domain, Side.CONFIG, configChange) : Optional.empty();
        if (live.isEmpty() || config.isEmpty() || !domain.hasRecord(Side.LIVE) || !domain.hasRecord(Side.CONFIG)) {
            return new Records(live, config);
        }
        DomainThrottleConfig before = domain.config(Side.LIVE);
        DomainThrottleConfig after = liveChange.apply(before);
        // an empty record is kept live but removed from the config: not one write
        if (!before.equals(domain.config(Side.CONFIG))
                || !after.equals(configChange.apply(before))
                || before.isEmpty()
                || after.isEmpty()) {
            return new Records(live, config);
        }
        return new Records(Optional.of(bothSides(before, after)), Optional.empty());
    }

    /**
     * {@code steps} with their live and config record made one step, at the live one's place, where
     * {@link #record(DomainSession, Set, UnaryOperator, UnaryOperator)} would make one.
     */
    static List<Step> recordBothSidesAtOnce(DomainSession domain, List<Step> steps) {
        int live = recordIndex(steps, Side.LIVE);
        int config = recordIndex(steps, Side.CONFIG);
        if (live < 0 || config < 0 || !domain.hasRecord(Side.LIVE) || !domain.hasRecord(Side.CONFIG)) {
            return steps;
        }
        DomainThrottleConfig before = domain.config(Side.LIVE);
        DomainThrottleConfig after = ((Action.WriteMetadata) steps.get(live).apply()).config();
        DomainThrottleConfig configAfter =
                ((Action.WriteMetadata) steps.get(config).apply()).config();
        if (!before.equals(domain.config(Side.CONFIG))
                || after == null
                || !after.equals(configAfter)
                || before.isEmpty()
                || after.isEmpty()) {
            return steps;
        }
        List<Step> merged = new ArrayList<>(steps);
        merged.set(live, bothSides(before, after));
        merged.remove(config);
        return merged;
    }

    private static int recordIndex(List<Step> steps, Side side) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).apply() instanceof Action.WriteMetadata write && write.side() == side) {
                return i;
            }
        }
        return -1;
    }

    private static Step bothSides(DomainThrottleConfig before, DomainThrottleConfig after) {
        return new Step(
                "record in live and config metadata",
                new Action.WriteMetadataBothSides(after),
                new Action.WriteMetadataBothSides(before));
    }

    /**
     * libvirt 11.2+: the step that records a change of tier membership (and a live member's own limits)
     * in our metadata element on one side, which holds nothing else there (libvirt keeps the groups and
     * chains); anything else the element holds (a config not yet migrated) is written back as it was.
     */
    static Optional<Step> recordMembership(
            DomainSession domain, Side side, UnaryOperator<DomainThrottleConfig> change) {
        DomainThrottleConfig before = domain.xml(side).metadataThrottleConfig();
        DomainThrottleConfig after = before.withMembershipOf(change.apply(domain.config(side)));
        if (before.equals(after)) {
            return Optional.empty();
        }
        return Optional.of(new Step(
                "record tier membership in " + side.label() + " metadata",
                new Action.WriteMetadata(side, after.isEmpty() ? null : after),
                new Action.WriteMetadata(side, domain.xml(side).hasThrottleMetadata() ? before : null)));
    }

    /**
     * libvirt 11.2+: a membership change in two writes on one side, {@code first} (in the first record
     * returned, as {@link Records#live()}) and then the rest of {@code then} (in {@link Records#config()}),
     * e.g. own limits recorded before libvirt's limits change and a leave recorded after.
     */
    static Records recordMembershipInTwo(
            DomainSession domain,
            Side side,
            UnaryOperator<DomainThrottleConfig> first,
            UnaryOperator<DomainThrottleConfig> then) {
        boolean had = domain.xml(side).hasThrottleMetadata();
        DomainThrottleConfig before = domain.xml(side).metadataThrottleConfig();
        DomainThrottleConfig mid = before.withMembershipOf(first.apply(domain.config(side)));
        DomainThrottleConfig after = before.withMembershipOf(then.apply(domain.config(side)));
        Optional<Step> one =
                mid.equals(before) ? Optional.empty() : Optional.of(membershipStep(side, mid, had ? before : null));
        DomainThrottleConfig undoTwo = one.isPresent() ? (mid.isEmpty() ? null : mid) : had ? before : null;
        Optional<Step> two = after.equals(mid) ? Optional.empty() : Optional.of(membershipStep(side, after, undoTwo));
        return new Records(one, two);
    }

    private static Step membershipStep(Side side, DomainThrottleConfig after, DomainThrottleConfig undo) {
        return new Step(
                "record tier membership in " + side.label() + " metadata",
                new Action.WriteMetadata(side, after.isEmpty() ? null : after),
                new Action.WriteMetadata(side, undo));
    }

    static Optional<Step> record(DomainSession domain, Side side, UnaryOperator<DomainThrottleConfig> change) {
        DomainThrottleConfig before = domain.config(side);
        DomainThrottleConfig after = change.apply(before);
        if (before.equals(after)) {
            return Optional.empty();
        }
        return Optional.of(new Step(
                "record in " + side.label() + " metadata",
                new Action.WriteMetadata(side, after),
                new Action.WriteMetadata(side, domain.hasRecord(side) ? before : null)));
    }
}
