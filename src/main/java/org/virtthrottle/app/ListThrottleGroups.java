package org.virtthrottle.app;

import java.util.List;
import org.virtthrottle.model.Side;
import org.virtthrottle.model.ThrottleGroup;

/** Group names: live from QEMU's objects, config from the persistent XML. */
public final class ListThrottleGroups {
    private ListThrottleGroups() {}

    public static List<String> read(DomainSession domain, boolean inactive) {
        Side side = domain.readSide(inactive);
        if (side == Side.CONFIG || domain.isNative()) {
            return domain.config(side).groups().stream()
                    .map(ThrottleGroup::name)
                    .toList();
        }
        return domain.liveGroupNames();
    }
}
