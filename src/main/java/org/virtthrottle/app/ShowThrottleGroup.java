package org.virtthrottle.app;

import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.model.Side;
import org.virtthrottle.model.ThrottleGroup;
import org.virtthrottle.model.ThrottleLimits;

/** One group's limits: live values read back from QEMU, config values from the persistent XML. */
public final class ShowThrottleGroup {
    private ShowThrottleGroup() {}

    public static ThrottleGroup read(DomainSession domain, String group, boolean inactive) {
        Side side = domain.readSide(inactive);
        if (side == Side.CONFIG || domain.isNative()) {
            // libvirt 11.2+ keeps the live groups in its live XML, as it applied them
            return domain.config(side)
                    .group(group)
                    .orElseThrow(() -> new VirtThrottleException(NotFound.message(group, side)));
        }
        ThrottleLimits limits = domain.liveLimits(group)
                .orElseThrow(() -> new VirtThrottleException(NotFound.message(group, Side.LIVE)));
        return new ThrottleGroup(group, limits);
    }
}
