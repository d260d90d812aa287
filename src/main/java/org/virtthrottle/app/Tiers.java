package org.virtthrottle.app;

import java.util.Optional;
import org.virtthrottle.model.Tier;

/** Where the host's tier budgets come from (the tiers file; none for tests that have no tiers). */
@FunctionalInterface
public interface Tiers {
    Tiers NONE = name -> Optional.empty();

    /** @throws org.virtthrottle.VirtThrottleException when the budgets cannot be trusted or read */
    Optional<Tier> find(String name);
}
