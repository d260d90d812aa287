package org.virtthrottle.app;

import java.util.ArrayList;
import java.util.List;
import org.virtthrottle.model.InvalidConfigException;
import org.virtthrottle.model.LimitsUpdate;
import org.virtthrottle.model.ThrottleLimits;
import org.virtthrottle.model.Tier;

/** Adds a tier or changes its budget, with throttlegroupset's family rules for the limits given. */
public final class SetTier {
    private SetTier() {}

    /** The tiers file's new content and the tier as it will be. */
    public record Result(List<Tier> tiers, Tier tier, boolean added) {}

    /**
     * @throws InvalidConfigException for a bad name, a new tier without limits, or a budget left
     *     empty or invalid; nothing is written then
     */
    public static Result plan(List<Tier> current, String name, LimitsUpdate update) {
        Tier.checkName(name);
        List<Tier> tiers = new ArrayList<>(current);
        int index = indexOf(tiers, name);
        ThrottleLimits old = index < 0 ? ThrottleLimits.NONE : tiers.get(index).budget();
        if (index >= 0 && update.isEmpty()) {
            throw new InvalidConfigException("no limit given: tier '" + name + "' is left as it is");
        }
        Tier tier = new Tier(name, update.applyTo(old)).validated();
        if (index < 0) {
            tiers.add(tier);
        } else {
            tiers.set(index, tier);
        }
        return new Result(List.copyOf(tiers), tier, index < 0);
    }

    static int indexOf(List<Tier> tiers, String name) {
        for (int i = 0; i < tiers.size(); i++) {
            if (tiers.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
