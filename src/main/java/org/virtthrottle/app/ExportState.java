package org.virtthrottle.app;

import org.virtthrottle.model.DomainThrottleConfig;
import org.virtthrottle.model.Side;

/**
 * A domain's throttle state as {@code export} prints it for {@code apply -f}: for a running domain
 * what should be live (the live record, which reconcile and apply hold QEMU to), else, or with
 * --inactive, the persistent config.
 */
public final class ExportState {
    private ExportState() {}

    public static DomainThrottleConfig read(DomainSession domain, boolean inactive) {
        Side side = domain.readSide(inactive);
        if (domain.isNative()) {
            // a live member's own limits, not its share
            return domain.config(side).withMembersOwnLimits();
        }
        return side == Side.LIVE ? domain.config(Reconcile.truth(domain)) : domain.config(side);
    }
}
