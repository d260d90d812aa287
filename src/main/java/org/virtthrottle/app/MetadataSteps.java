package org.virtthrottle.app;

import java.util.Optional;
import org.virtthrottle.model.DomainThrottleConfig;
import org.virtthrottle.model.Side;
import org.virtthrottle.plan.Action;
import org.virtthrottle.plan.Step;

/** The step that records a changed config in our metadata, undone by writing the old one back. */
final class MetadataSteps {
    private MetadataSteps() {
    }

    static Optional<Step> record(Side side, DomainThrottleConfig before, DomainThrottleConfig after) {
        if (before.equals(after)) {
            return Optional.empty();
        }
        return Optional.of(new Step("record in " + side.label() + " metadata",
                new Action.WriteMetadata(side, after), new Action.WriteMetadata(side, before)));
    }
}
