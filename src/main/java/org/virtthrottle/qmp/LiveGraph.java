package org.virtthrottle.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * QEMU's block graph as two queries show it: {@code query-named-block-nodes} (driver and, for
 * throttle nodes, their group) and {@code x-debug-query-block-graph} (who is whose child, and which
 * device sits on which root). Reading it costs two QMP commands, however many disks there are.
 */
public final class LiveGraph {
    /** A block node; {@code throttleGroup} is the QOM id of its group for throttle nodes, else null. */
    public record BlockNode(String name, String driver, String throttleGroup) {
        public boolean isThrottle() {
            return "throttle".equals(driver);
        }
    }

    /** A guest device's block backend, by QOM path (or bare id for some devices), and its root node. */
    public record Device(String qdev, String root) {
        /** The path qom-set needs: query-block names some devices (scsi-hd) by id only. */
        public String qomPath() {
            return qdev.startsWith("/") ? qdev : "/machine/peripheral/" + qdev;
        }

        /** The device's id, which libvirt sets to the disk's alias (virtio-disk0, scsi0-0-0-1). */
        public String alias() {
            String prefix = "/machine/peripheral/";
            if (!qdev.startsWith(prefix)) {
                return qdev;
            }
            String rest = qdev.substring(prefix.length());
            int slash = rest.indexOf('/');
            return slash < 0 ? rest : rest.substring(0, slash);
        }
    }

    private final Map<String, BlockNode> nodes;
    private final Map<String, List<String>> children;
    private final List<Device> devices;
    /** Nodes a block job or anything else but a node or a device holds. */
    private final java.util.Set<String> heldElsewhere;
    /** Each node's size as QEMU has it (image.virtual-size), the size its parents and the guest see. */
    private final Map<String, Long> sizes;

    private LiveGraph(
            Map<String, BlockNode> nodes,
            Map<String, List<String>> children,
            List<Device> devices,
            java.util.Set<String> heldElsewhere,
            Map<String, Long> sizes) {
        this.nodes = nodes;
        this.children = children;
        this.devices = devices;
        this.heldElsewhere = heldElsewhere;
        this.sizes = sizes;
    }

    public static LiveGraph read(QmpClient qmp) {
        JsonNode named = qmp.execute(QmpCommand.queryNamedBlockNodes());
        JsonNode graph = qmp.execute(QmpCommand.queryBlockGraph());
        return parse(named, graph);
    }

    /** Builds the graph from the {@code return} values of the two queries. */
    public static LiveGraph parse(JsonNode namedBlockNodes, JsonNode blockGraph) {
        Map<String, BlockNode> nodes = new LinkedHashMap<>();
        Map<String, Long> sizes = new HashMap<>();
        for (JsonNode n : namedBlockNodes) {
            JsonNode size = n.path("image").path("virtual-size");
            if (size.isIntegralNumber()) {
                sizes.put(n.path("node-name").asText(), size.asLong());
            }
            String driver = n.path("drv").asText();
            String group = "throttle".equals(driver) ? throttleGroupOf(n) : null;
            nodes.put(
                    n.path("node-name").asText(),
                    new BlockNode(n.path("node-name").asText(), driver, group));
        }
        Map<Long, JsonNode> byId = new HashMap<>();
        for (JsonNode n : blockGraph.path("nodes")) {
            byId.put(n.path("id").asLong(), n);
        }
        Map<String, List<String>> children = new HashMap<>();
        List<Device> devices = new ArrayList<>();
        java.util.Set<String> heldElsewhere = new java.util.HashSet<>();
        for (JsonNode edge : blockGraph.path("edges")) {
            JsonNode parent = byId.get(edge.path("parent").asLong());
            JsonNode child = byId.get(edge.path("child").asLong());
            if (parent == null || child == null) {
                continue;
            }
            String childName = child.path("name").asText();
            if ("block-backend".equals(parent.path("type").asText())) {
                devices.add(new Device(parent.path("name").asText(), childName));
            } else if ("block-driver".equals(parent.path("type").asText())) {
                children.computeIfAbsent(parent.path("name").asText(), k -> new ArrayList<>())
                        .add(childName);
            } else {
                heldElsewhere.add(childName);
            }
        }
        return new LiveGraph(nodes, children, devices, heldElsewhere, sizes);
    }

    /** The graph as it will be once the device is gone (its nodes stay until someone deletes them). */
    public LiveGraph without(Device device) {
        List<Device> others = new ArrayList<>(devices);
        others.remove(device);
        return new LiveGraph(nodes, children, others, heldElsewhere, sizes);
    }

    /** The node's size in bytes as QEMU has it; empty when QEMU did not say (no such node). */
    public java.util.OptionalLong virtualSize(String node) {
        Long size = sizes.get(node);
        return size == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(size);
    }

    public List<Device> devices() {
        return devices;
    }

    public Map<String, BlockNode> nodes() {
        return nodes;
    }

    /**
     * The throttle filters stacked directly above a device's data, top (guest side) first, the node
     * under the lowest of them (the disk's own top node) and its size (0 when QEMU did not say).
     */
    public record Chain(Device device, List<BlockNode> filters, String base, long baseSize) {
        /** A chain whose base's size is not known (0): in a plan's preview. */
        public Chain(Device device, List<BlockNode> filters, String base) {
            this(device, filters, base, 0);
        }

        /** The filters from the image up, i.e. in {@code <throttlefilters>} order. */
        public List<BlockNode> bottomUp() {
            List<BlockNode> up = new ArrayList<>(filters);
            java.util.Collections.reverse(up);
            return up;
        }

        /** Group QOM ids from the image up. */
        public List<String> groupIds() {
            return bottomUp().stream().map(BlockNode::throttleGroup).toList();
        }
    }

    /** The device with this alias; none for a null alias (a disk libvirt gave none, e.g. in config). */
    public Optional<Device> device(String alias) {
        return devices.stream().filter(d -> d.alias().equals(alias)).findFirst();
    }

    public Chain chain(Device device) {
        List<BlockNode> filters = new ArrayList<>();
        String node = device.root();
        // a reply describing a cycle must not keep us walking it
        java.util.Set<String> seen = new java.util.HashSet<>();
        while (nodes.containsKey(node) && nodes.get(node).isThrottle() && seen.add(node)) {
            filters.add(nodes.get(node));
            List<String> below = children.getOrDefault(node, List.of());
            if (below.size() != 1) {
                break;
            }
            node = below.get(0);
        }
        return new Chain(device, filters, node, sizes.getOrDefault(node, 0L));
    }

    /**
     * What is left behind in QEMU, parents before children, so it can be deleted in this order: nodes
     * of ours (see {@code isOurs}) that no device reaches, nodes nothing at all holds that libvirt no
     * longer knows of ({@code isUntracked}), and the nodes that only those hold. Both kinds come from a
     * disk libvirt detached while our filters still held its nodes: its own blockdev-del of them
     * failed, and our filters, or a clean-up of them cut short, left them behind.
     */
    public List<BlockNode> orphans(
            java.util.function.Predicate<String> isOurs, java.util.function.Predicate<String> isUntracked) {
        java.util.Set<String> reachable = new java.util.HashSet<>();
        for (Device d : devices) {
            collect(d.root(), reachable, 0);
        }
        Map<String, List<String>> parents = new HashMap<>();
        children.forEach((parent, kids) -> kids.forEach(
                k -> parents.computeIfAbsent(k, x -> new ArrayList<>()).add(parent)));
        java.util.Set<String> garbage = new java.util.LinkedHashSet<>();
        for (BlockNode n : nodes.values()) {
            boolean unheld = !parents.containsKey(n.name()) && !heldElsewhere.contains(n.name());
            if (!reachable.contains(n.name()) && (isOurs.test(n.name()) || unheld && isUntracked.test(n.name()))) {
                garbage.add(n.name());
            }
        }
        for (boolean grew = true; grew; ) {
            grew = false;
            for (BlockNode n : nodes.values()) {
                List<String> holders = parents.getOrDefault(n.name(), List.of());
                if (!garbage.contains(n.name())
                        && !reachable.contains(n.name())
                        && !heldElsewhere.contains(n.name())
                        && !holders.isEmpty()
                        && garbage.containsAll(holders)) {
                    garbage.add(n.name());
                    grew = true;
                }
            }
        }
        List<BlockNode> orphans = new ArrayList<>();
        garbage.forEach(name -> orphans.add(nodes.get(name)));
        List<BlockNode> ordered = new ArrayList<>();
        while (!orphans.isEmpty()) {
            BlockNode top = orphans.stream()
                    .filter(n -> orphans.stream().noneMatch(p -> children.getOrDefault(p.name(), List.of())
                            .contains(n.name())))
                    .findFirst()
                    .orElse(orphans.get(0));
            ordered.add(top);
            orphans.remove(top);
        }
        return ordered;
    }

    private void collect(String node, Set<String> seen, int depth) {
        if (depth > 64 || !seen.add(node)) {
            return;
        }
        children.getOrDefault(node, List.of()).forEach(c -> collect(c, seen, depth + 1));
    }

    /** Throttle nodes that draw from the group, each with the device above it (null when none). */
    public Map<BlockNode, Device> throttleNodesUsing(String groupQomId) {
        Map<BlockNode, Device> users = new LinkedHashMap<>();
        for (BlockNode n : nodes.values()) {
            if (n.isThrottle() && groupQomId.equals(n.throttleGroup())) {
                users.put(n, deviceAbove(n.name()));
            }
        }
        return users;
    }

    private Device deviceAbove(String nodeName) {
        for (Device d : devices) {
            // each node visited once: a reply with cycles or shared children took exponential time to walk
            Set<String> below = new HashSet<>();
            collect(d.root(), below, 0);
            if (below.contains(nodeName)) {
                return d;
            }
        }
        return null;
    }

    /** A throttle node's JSON filename carries its own group at the top level. */
    private static String throttleGroupOf(JsonNode node) {
        String filename =
                node.path("image").path("filename").asText(node.path("file").asText());
        if (!filename.startsWith("json:")) {
            return null;
        }
        try {
            JsonNode spec = Json.read(filename.substring("json:".length()));
            JsonNode group = spec.get("throttle-group");
            return group == null ? null : group.asText();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
