package org.virtthrottle.plan;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.virtthrottle.model.FilterChain;
import org.virtthrottle.model.GroupName;
import org.virtthrottle.qmp.LiveGraph;
import org.virtthrottle.qmp.QmpCommand;

/**
 * Steps that put a disk's throttle filters in QEMU's graph where upstream libvirt puts them:
 * device -> filter(last group) -> ... -> filter(first group) -> the disk's own top node.
 * Filters are added bottom up, then the device is pointed at the top one in a single qom-set, so
 * the guest never sees a half-built chain; removal runs the other way.
 */
public final class ChainSteps {
    private ChainSteps() {
    }

    /**
     * From the chain a device has to the desired one, touching as few nodes as possible: the
     * longest common part at the bottom stays, the rest is built anew above it, the device is
     * switched over, and the old nodes above the kept part are deleted top down.
     *
     * @param current the live chain (possibly without filters)
     * @param desired groups, image side first
     * @param target disk target, for node names
     * @param takenNames node names already in the graph
     */
    public static List<Step> rechain(LiveGraph.Chain current, FilterChain desired, String target, Set<String> takenNames) {
        List<LiveGraph.BlockNode> bottomUp = current.bottomUp();
        List<String> desiredIds = desired.groups().stream().map(GroupName::qomId).toList();
        int keep = 0;
        while (keep < bottomUp.size() && keep < desiredIds.size()
                && bottomUp.get(keep).throttleGroup().equals(desiredIds.get(keep))) {
            keep++;
        }
        if (keep == bottomUp.size() && keep == desiredIds.size()) {
            return List.of();
        }
        List<Step> steps = new ArrayList<>();
        String below = keep == 0 ? current.base() : bottomUp.get(keep - 1).name();
        Set<String> taken = new HashSet<>(takenNames);
        List<String> names = FilterNodeNames.allocate(target, desiredIds.size() - keep, taken);
        for (int i = keep; i < desiredIds.size(); i++) {
            String node = names.get(i - keep);
            steps.add(new Step("add throttle filter " + node + " (group " + desired.groups().get(i) + ") over " + below,
                    new Action.Qmp(QmpCommand.blockdevAddThrottle(node, desiredIds.get(i), below)),
                    new Action.Qmp(QmpCommand.blockdevDel(node))));
            below = node;
        }
        String oldTop = current.device().root();
        String path = current.device().qomPath();
        steps.add(new Step("point " + target + " (" + path + ") at " + below,
                new Action.Qmp(QmpCommand.qomSetDrive(path, below)),
                new Action.Qmp(QmpCommand.qomSetDrive(path, oldTop))));
        for (int i = bottomUp.size() - 1; i >= keep; i--) {
            LiveGraph.BlockNode old = bottomUp.get(i);
            String oldBelow = i == 0 ? current.base() : bottomUp.get(i - 1).name();
            steps.add(new Step("delete throttle filter " + old.name(),
                    new Action.Qmp(QmpCommand.blockdevDel(old.name())),
                    new Action.Qmp(QmpCommand.blockdevAddThrottle(old.name(), old.throttleGroup(), oldBelow))));
        }
        return steps;
    }
}
