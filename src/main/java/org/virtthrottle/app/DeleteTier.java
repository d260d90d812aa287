package org.virtthrottle.app;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.virtthrottle.model.InvalidConfigException;
import org.virtthrottle.model.Tier;

/** Removes a tier from the host's budgets; never one that groups are members of. */
public final class DeleteTier {
    private DeleteTier() {}

    /**
     * The tiers file's new content.
     *
     * @param members the host's member groups, of every tier
     * @throws org.virtthrottle.model.InvalidConfigException for a tier not in the file, or with members
     */
    public static List<Tier> plan(List<Tier> current, String name, List<TierMembers.Member> members) {
        int index = SetTier.indexOf(current, name);
        if (index < 0) {
            throw Tier.notFound(name);
        }
        List<TierMembers.Member> left = TierMembers.of(name, members);
        if (!left.isEmpty()) {
            throw new InvalidConfigException("tier '" + name + "' has " + left.size() + " member group(s): "
                    + left.stream().map(m -> m.domain() + "/" + m.group()).collect(Collectors.joining(", "))
                    + "; make them leave first (throttlegroupset DOMAIN GROUP --tier '')");
        }
        List<Tier> tiers = new ArrayList<>(current);
        tiers.remove(index);
        return List.copyOf(tiers);
    }
}
