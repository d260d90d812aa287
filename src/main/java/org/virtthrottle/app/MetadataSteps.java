package org.virtthrottle.app;

import java.util.Optional;
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
