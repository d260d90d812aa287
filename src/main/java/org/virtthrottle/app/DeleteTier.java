package org.virtthrottle.app;

import java.util.ArrayList;
import java.util.List;
import org.virtthrottle.model.Tier;

/**
 * Removes a tier from the host's budgets. Groups cannot join a tier yet (membership is not built),
 * so there is no member to refuse for.
 */
public final class DeleteTier {
    private DeleteTier() {}

    /** The tiers file's new content. @throws org.virtthrottle.model.InvalidConfigException for a tier not in the file */
    public static List<Tier> plan(List<Tier> current, String name) {
        int index = SetTier.indexOf(current, name);
        if (index < 0) {
            throw Tier.notFound(name);
        }
        List<Tier> tiers = new ArrayList<>(current);
        tiers.remove(index);
        return List.copyOf(tiers);
    }
}
