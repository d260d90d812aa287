package org.virtthrottle.app;

import java.util.List;
import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.model.FilterChain;
import org.virtthrottle.model.GroupName;
import org.virtthrottle.model.InvalidConfigException;
import org.virtthrottle.model.Side;
import org.virtthrottle.model.ThrottleGroup;
import org.virtthrottle.qmp.LiveGraph;
import org.virtthrottle.xml.DiskInfo;

/** The checks a disk and a chain must pass before any chain change starts. */
final class ChainChecks {
    private ChainChecks() {
    }

    /** Every group of the chain exists on the side: in QEMU (live) or in the persistent config. */
    static void groupsExist(DomainSession domain, Side side, FilterChain chain) {
        List<String> known = side == Side.LIVE && !domain.isNative() ? domain.liveGroupNames()
                : domain.config(side).groups().stream().map(ThrottleGroup::name).toList();
        for (String group : chain.groups()) {
            if (side == Side.LIVE) {
                GroupName.checkForLive(group);
            }
            if (!known.contains(group)) {
                throw new VirtThrottleException(NotFound.message(group, side));
            }
        }
    }

    /** A disk that can be put behind throttle filters (on the live side when {@code live}). */
    static void canBeThrottled(String target, String device, boolean hasIotune, Integer iothread, boolean live) {
        if ("cdrom".equals(device) || "floppy".equals(device)) {
            throw new InvalidConfigException("throttle filters cannot be used on " + device + " " + target);
        }
        if (hasIotune) {
            throw new InvalidConfigException("block 'iotune' can't be used together with 'throttlefilters' for disk '"
                    + target + "'");
        }
        if (live && iothread != null) {
            throw new InvalidConfigException("disk " + target + " runs in IOThread " + iothread
                    + ": QEMU crashes when a throttle filter is added over a node in an IOThread, so virt-throttle"
                    + " refuses to change its filters live (use --config and restart, or move it out of the IOThread)");
        }
    }

    static void canBeThrottled(DiskInfo disk, boolean live) {
        canBeThrottled(disk.target(), disk.device(), disk.hasIotune(), disk.iothread(), live);
    }

    static DiskInfo disk(DomainSession domain, Side side, String target) {
        return domain.xml(side).disk(target).orElseThrow(() -> new VirtThrottleException(
                "No disk found whose target is " + target + " in the " + (side == Side.LIVE ? "running domain" : "persistent configuration")));
    }

    /** The live chain of a disk, read from QEMU's graph. */
    static LiveGraph.Chain liveChain(LiveGraph graph, DiskInfo disk) {
        LiveGraph.Device device = graph.device(disk.alias()).orElse(null);
        if (device == null) {
            throw new VirtThrottleException("disk " + disk.target() + " has no block node in QEMU (empty drive?)");
        }
        return graph.chain(device);
    }
}
