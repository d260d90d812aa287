package org.virtthrottle.plan;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
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
 *
 * <p>A disk whose nodes live in an IOThread needs another way in: QEMU 7.2 and 10.0 crash when a
 * throttle node is added straight over such a node. Each filter is then created over a placeholder
 * in the main loop, moved into the IOThread while it has no parent, and only then reopened over
 * its real child; the placeholder goes right after. Removal is the same for both kinds of disk.
 */
public final class ChainSteps {
    private ChainSteps() {}

    /**
     * From the chain a device has to the desired one, touching as few nodes as possible: the
     * longest common part at the bottom stays, the rest is built anew above it, the device is
     * switched over, and the old nodes above the kept part are deleted top down.
     *
     * @param current the live chain (possibly without filters)
     * @param desired groups, image side first
     * @param target disk target, for node names
     * @param takenNames node names already in the graph
     * @param iothread QOM id of the IOThread the disk's nodes live in; null for the main loop
     */
    public static List<Step> rechain(
            LiveGraph.Chain current, FilterChain desired, String target, Set<String> takenNames, String iothread) {
        List<LiveGraph.BlockNode> bottomUp = current.bottomUp();
        List<String> desiredIds =
                desired.groups().stream().map(GroupName::qomId).toList();
        int keep = 0;
        while (keep < bottomUp.size()
                && keep < desiredIds.size()
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
        taken.addAll(names);
        NodePlacement placement = new NodePlacement(target, iothread, current.baseSize(), taken);
        for (int i = keep; i < desiredIds.size(); i++) {
            String node = names.get(i - keep);
            steps.addAll(placement.addFilter(node, desired.groups().get(i), desiredIds.get(i), below));
            below = node;
        }
        String oldTop = current.device().root();
        String path = current.device().qomPath();
        steps.add(new Step(
                "point " + target + " (" + path + ") at " + below,
                new Action.Qmp(QmpCommand.qomSetDrive(path, below)),
                new Action.Qmp(QmpCommand.qomSetDrive(path, oldTop))));
        for (int i = bottomUp.size() - 1; i >= keep; i--) {
            LiveGraph.BlockNode old = bottomUp.get(i);
            String oldBelow = i == 0 ? current.base() : bottomUp.get(i - 1).name();
            steps.add(new Step(
                    "delete throttle filter " + old.name(),
                    new Action.Qmp(QmpCommand.blockdevDel(old.name())),
                    placement.readd(
                            old.name(), GroupName.fromQomId(old.throttleGroup()), old.throttleGroup(), oldBelow)));
        }
        return steps;
    }

    /**
     * The step that gives a chain's top filter the size of the image under it, when they differ: the
     * image was resized under the filters, and QEMU before 10.2 does not refresh a filter when its
     * child grows, so the guest would keep seeing the old size. Resizing the top filter resizes every
     * node below it to the same size (the image's own, so nothing else changes) and refreshes each.
     * No undo: shrinking a filter would truncate the image.
     */
    public static Optional<Step> passSizeUp(LiveGraph graph, LiveGraph.Chain chain, String target) {
        if (chain.filters().isEmpty()) {
            return Optional.empty();
        }
        String top = chain.filters().get(0).name();
        OptionalLong image = graph.virtualSize(chain.base());
        if (image.isEmpty() || graph.virtualSize(top).equals(image)) {
            return Optional.empty();
        }
        return Optional.of(new Step(
                "pass the size of " + target + "'s image (" + image.getAsLong()
                        + " bytes) up through its throttle filters",
                new Action.Qmp(QmpCommand.blockResize(top, image.getAsLong())),
                null));
    }

    /**
     * Deleting a node that no device reads through (see {@link LiveGraph#orphans}): garbage of an
     * interrupted change or of a disk detached under its filters, so not worth an undo.
     */
    public static Step deleteOrphan(LiveGraph.BlockNode orphan) {
        return new Step(
                "delete " + describeOrphan(orphan), new Action.Qmp(QmpCommand.blockdevDel(orphan.name())), null);
    }

    public static String describeOrphan(LiveGraph.BlockNode orphan) {
        if (!FilterNodeNames.isOurs(orphan.name())) {
            return "node " + orphan.name() + " of a disk libvirt has detached";
        }
        return (orphan.isThrottle() ? "orphan throttle filter node " : "orphan placeholder node ") + orphan.name();
    }

    /** How filters of one disk are added: straight over their child, or the IOThread way. */
    private record NodePlacement(String target, String iothread, long size, Set<String> taken) {
        List<Step> addFilter(String node, String group, String groupId, String below) {
            String filter = "throttle filter " + node + " (group " + group + ")";
            Action delete = new Action.Qmp(QmpCommand.blockdevDel(node));
            if (iothread == null) {
                return List.of(new Step(
                        "add " + filter + " over " + below,
                        new Action.Qmp(QmpCommand.blockdevAddThrottle(node, groupId, below)),
                        delete));
            }
            String placeholder = FilterNodeNames.placeholder(target, taken);
            taken.add(placeholder);
            Action addPlaceholder = new Action.Qmp(QmpCommand.blockdevAddPlaceholder(placeholder, size));
            Action deletePlaceholder = new Action.Qmp(QmpCommand.blockdevDel(placeholder));
            // moving and reopening need no undo of their own: deleting the filter (undo of its add) undoes both
            return List.of(
                    new Step("add placeholder " + placeholder + " for " + node, addPlaceholder, deletePlaceholder),
                    new Step(
                            "add " + filter + " over placeholder " + placeholder,
                            new Action.Qmp(QmpCommand.blockdevAddThrottle(node, groupId, placeholder)),
                            delete),
                    new Step(
                            "move " + node + " into IOThread " + iothread,
                            new Action.Qmp(QmpCommand.blockdevSetIothread(node, iothread)),
                            null),
                    new Step(
                            "put " + node + " over " + below,
                            new Action.Qmp(QmpCommand.blockdevReopenThrottle(node, groupId, below)),
                            null),
                    new Step("delete placeholder " + placeholder, deletePlaceholder, addPlaceholder));
        }

        /** What puts a deleted filter back: the same way it is added, as one action. */
        Action readd(String node, String group, String groupId, String below) {
            List<Action> actions = addFilter(node, group, groupId, below).stream()
                    .map(Step::apply)
                    .toList();
            return actions.size() == 1 ? actions.get(0) : new Action.Sequence(actions);
        }
    }
}
