package org.virtthrottle.app;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.model.InvalidConfigException;
import org.virtthrottle.model.ThrottleLimits;
import org.virtthrottle.model.Tier;
import org.virtthrottle.state.DesiredState;

/**
 * The tiers part of {@code apply -f}: the host's tiers file made to say what the file's {@code tiers:}
 * says, for the tiers the file names (their budgets as a whole; other tiers are left as they are, also
 * with --prune, as domains not in the file are), written before the domains' changes. Every budget
 * must give all its members (on the whole host, as they will be) their floors.
 */
public final class ApplyTiers {
    /** The tiers file before and after, and the changes in words. */
    public record Result(List<Tier> before, List<Tier> after, List<String> changes) implements Tiers {
        public Result {
            before = List.copyOf(before);
            after = List.copyOf(after);
            changes = List.copyOf(changes);
        }

        public boolean changed() {
            return !changes.isEmpty();
        }

        /** The tiers as they will be: what the domains' plans see. */
        @Override
        public Optional<Tier> find(String name) {
            return after.stream().filter(t -> t.name().equals(name)).findFirst();
        }
    }

    private ApplyTiers() {}

    /** The tiers file's content after the apply: the file's tiers replace or follow the host's, in order. */
    public static Result plan(List<Tier> host, DesiredState file) {
        List<Tier> after = new ArrayList<>(host);
        List<String> changes = new ArrayList<>();
        for (Tier tier : file.tiers()) {
            int index = SetTier.indexOf(after, tier.name());
            if (index < 0) {
                after.add(tier);
                changes.add("added tier " + tier.name() + ": " + words(tier.budget()));
            } else if (!after.get(index)
                    .budget()
                    .normalized()
                    .equals(tier.budget().normalized())) {
                changes.add("set the budget of tier " + tier.name() + " to " + words(tier.budget()) + " (was "
                        + words(after.get(index).budget()) + ")");
                after.set(index, tier);
            }
        }
        return new Result(host, after, changes);
    }

    /**
     * Checks that each tier the file names or its domains' groups join can give every member its floor,
     * counting the members of the file's domains as they will be and the other domains' as they are.
     *
     * @param applied the file's domains' member groups (group to tier) after the apply, by domain name
     * @param others the members of the host's other domains
     * @throws VirtThrottleException naming the tier's line in the file
     */
    public static void checkFloors(
            Result tiers,
            DesiredState file,
            Map<String, Map<String, String>> applied,
            List<TierMembers.Member> others) {
        Set<String> checked = new LinkedHashSet<>();
        file.tiers().forEach(t -> checked.add(t.name()));
        file.domains().forEach(d -> checked.addAll(d.tiers().values()));
        Map<String, Integer> counts = new LinkedHashMap<>();
        applied.values().forEach(members -> members.values().forEach(t -> counts.merge(t, 1, Integer::sum)));
        others.stream()
                .filter(m -> !applied.containsKey(m.domain()))
                .forEach(m -> counts.merge(m.tier(), 1, Integer::sum));
        for (String name : checked) {
            Optional<Tier> tier = tiers.find(name);
            if (tier.isEmpty()) {
                continue; // a member of an unknown tier is refused with its own line
            }
            try {
                tier.get().checkFloors(counts.getOrDefault(name, 0));
            } catch (InvalidConfigException e) {
                throw new VirtThrottleException(file.where(name) + ": " + e.getMessage(), e);
            }
        }
    }

    static String words(ThrottleLimits budget) {
        return budget.nonZero().entrySet().stream()
                .map(e -> e.getKey().xmlName() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }
}
