package org.virtthrottle.app;

import java.util.List;
import org.virtthrottle.model.Side;
import org.virtthrottle.model.ThrottleGroup;

/** Group names: live from QEMU's objects, config from the persistent XML. */
public final class ListThrottleGroups {
    private ListThrottleGroups() {
    }

    public static List<String> read(DomainSession domain, boolean inactive) {
        if (domain.readSide(inactive) == Side.CONFIG) {
            return domain.config(Side.CONFIG).groups().stream().map(ThrottleGroup::name).toList();
        }
        return domain.liveGroupNames();
    }

}
