package org.virtthrottle.app;

import java.util.List;
import java.util.function.Function;
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
    private ChainChecks() {}

    /**
     * Every group of the chain exists on the side: in QEMU (live) or in the persistent config.
     *
     * @param missing the error for a group that does not
     */
    static void groupsExist(
            DomainSession domain, Side side, FilterChain chain, Function<String, VirtThrottleException> missing) {
        List<String> known = side == Side.LIVE && !domain.isNative()
                ? domain.liveGroupNames()
                : domain.config(side).groups().stream().map(ThrottleGroup::name).toList();
        for (String group : chain.groups()) {
            if (side == Side.LIVE) {
                GroupName.checkForLive(group);
            }
            if (!known.contains(group)) {
                throw missing.apply(group);
            }
        }
    }

    /**
     * A disk that can be put behind throttle filters; {@code live} when they are to be added to the
     * running QEMU through QMP.
     */
    static void canBeThrottled(DiskInfo disk, boolean live) {
        if ("cdrom".equals(disk.device()) || "floppy".equals(disk.device())) {
            throw new InvalidConfigException(
                    "throttle filters cannot be used on " + disk.device() + " " + disk.target());
        }
        if ("lun".equals(disk.device())) {
            throw new InvalidConfigException("throttle filters cannot be used on lun " + disk.target()
                    + ": SCSI passthrough (SG_IO) bypasses QEMU's block layer, so no filter could act on it");
        }
        if (disk.hasIotune()) {
            throw new InvalidConfigException(
                    "block 'iotune' can't be used together with 'throttlefilters' for disk '" + disk.target() + "'");
        }
        if (live && disk.iothreadMapping()) {
            throw new InvalidConfigException(
                    "disk " + disk.target() + " spreads its queues over IOThreads (<driver><iothreads>):"
                            + " QEMU offers no safe way to add a throttle filter to such a disk while it runs, so virt-throttle"
                            + " refuses to change its filters live");
        }
    }

    static DiskInfo disk(DomainSession domain, Side side, String target) {
        return domain.xml(side)
                .disk(target)
                .orElseThrow(() -> new VirtThrottleException("No disk found whose target is " + target + " in the "
                        + (side == Side.LIVE ? "running domain" : "persistent configuration")));
    }

    /** The running domain's disk named by its target or its source path, as libvirt's block calls take it. */
    static DiskInfo liveDisk(DomainSession domain, String targetOrSource) {
        return domain.xml(Side.LIVE)
                .diskNamed(targetOrSource)
                .orElseThrow(() -> new VirtThrottleException(
                        "invalid argument: disk '" + targetOrSource + "' not found in domain"));
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
