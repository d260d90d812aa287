package org.virtthrottle.app;

import java.util.EnumSet;
import java.util.Set;
import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.model.Side;

/** virsh's --live / --config / --current flags, resolved against the domain's state. */
public record AffectedSides(boolean live, boolean config, boolean current, boolean persistent) {
    public AffectedSides(boolean live, boolean config, boolean current) {
        this(live, config, current, false);
    }

    public AffectedSides {
        if (current && persistent) {
            throw new UsageException("Options --current and --persistent are mutually exclusive");
        }
        if (current && live) {
            throw new UsageException("Options --current and --live are mutually exclusive");
        }
        if (current && config) {
            throw new UsageException("Options --current and --config are mutually exclusive");
        }
    }

    /**
     * --current (or no flag) means live when running, else config. --live on a shut-off domain is
     * refused with libvirt's own text.
     */
    public Set<Side> resolve(boolean running) {
        if (persistent) {
            // virsh's --persistent: "make live change persistent", so config, and live when running
            Set<Side> sides = EnumSet.of(Side.CONFIG);
            if (running || live) {
                sides.addAll(new AffectedSides(live || running, true, false).resolve(running));
            }
            return sides;
        }
        if (!live && !config) {
            return EnumSet.of(running ? Side.LIVE : Side.CONFIG);
        }
        if (live && !running) {
            throw new VirtThrottleException("Requested operation is not valid: domain is not running");
        }
        Set<Side> sides = EnumSet.noneOf(Side.class);
        if (live) {
            sides.add(Side.LIVE);
        }
        if (config) {
            sides.add(Side.CONFIG);
        }
        return sides;
    }
}
