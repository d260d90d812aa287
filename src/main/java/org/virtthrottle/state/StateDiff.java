package org.virtthrottle.state;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.virtthrottle.model.DomainThrottleConfig;
import org.virtthrottle.model.FilterChain;
import org.virtthrottle.model.ThrottleGroup;

/** What changes from one config to another, in the words reconcile uses for the same changes live. */
public final class StateDiff {
    private StateDiff() {}

    public static List<String> describe(DomainThrottleConfig before, DomainThrottleConfig after) {
        List<String> changes = new ArrayList<>();
        for (ThrottleGroup group : after.groups()) {
            before.group(group.name())
                    .ifPresentOrElse(
                            old -> {
                                if (!old.limits()
                                        .normalized()
                                        .equals(group.limits().normalized())) {
                                    changes.add("set limits of throttle group " + group.name());
                                }
                            },
                            () -> changes.add("created throttle group " + group.name()));
        }
        for (ThrottleGroup group : before.groups()) {
            if (after.group(group.name()).isEmpty()) {
                changes.add("deleted throttle group " + group.name());
            }
        }
        changes.addAll(describeTiers(before, after));
        Set<String> targets = new LinkedHashSet<>(before.chains().keySet());
        targets.addAll(after.chains().keySet());
        for (String target : targets) {
            FilterChain was = before.chains().getOrDefault(target, FilterChain.NONE);
            FilterChain is = after.chains().getOrDefault(target, FilterChain.NONE);
            if (!was.equals(is)) {
                changes.add(
                        is.isEmpty()
                                ? "removed the throttle filters of " + target
                                : "set the throttle filters of " + target + " to " + String.join(",", is.groups()));
            }
        }
        return changes;
    }

    /**
     * The groups that join, leave or change tier (a deleted group leaves its tier without saying so:
     * its deletion says it).
     */
    public static List<String> describeTiers(DomainThrottleConfig before, DomainThrottleConfig after) {
        List<String> changes = new ArrayList<>();
        after.tiers().forEach((group, tier) -> {
            String was = before.tier(group).orElse("");
            if (was.isEmpty()) {
                changes.add("throttle group " + group + " joined tier " + tier);
            } else if (!was.equals(tier)) {
                changes.add("throttle group " + group + " left tier " + was + " for tier " + tier);
            }
        });
        before.tiers().forEach((group, tier) -> {
            if (after.tier(group).isEmpty() && after.group(group).isPresent()) {
                changes.add("throttle group " + group + " left tier " + tier);
            }
        });
        return changes;
    }
}
