package org.virtthrottle.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A QEMU block graph, given node by node, and the replies QEMU 7.2 gives for it to
 * {@code query-named-block-nodes} (flat) and {@code x-debug-query-block-graph}, in the shapes of
 * {@code testdata/qmp/}.
 */
final class QemuBlockGraph {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long FIRST_ID = 94367891824640L;

    /** A node: its driver, the node it reads from (null for a protocol node) and its file. */
    private record BlockNode(String name, String driver, String throttleGroup, String child, String filename) {}

    private final Map<String, BlockNode> nodes = new LinkedHashMap<>();
    private final Map<String, String> devices = new LinkedHashMap<>();

    /** libvirt's nodes of the disk with source index N: {@code libvirt-N-format} over {@code libvirt-N-storage}. */
    QemuBlockGraph image(int index, String format, String file) {
        String storage = "libvirt-" + index + "-storage";
        nodes.put(storage, new BlockNode(storage, "file", null, null, file));
        String top = "libvirt-" + index + "-format";
        nodes.put(top, new BlockNode(top, format, null, storage, file));
        return this;
    }

    /** libvirt's nodes for a disk of {@link GuestXml} with source index N, and its device on top. */
    QemuBlockGraph disk(GuestXml.Disk disk, int index) {
        image(index, disk.format(), disk.image());
        return device(disk.qdev(), "libvirt-" + index + "-format");
    }

    QemuBlockGraph throttle(String name, String group, String child) {
        nodes.put(name, new BlockNode(name, "throttle", "throttle-" + group, child, null));
        return this;
    }

    /** A guest device's backend, by QOM path, reading from {@code root}. */
    QemuBlockGraph device(String qdev, String root) {
        devices.put(qdev, root);
        return this;
    }

    /** Scripts both queries to answer with these graphs, one per read, the last one repeating. */
    static void answerReads(ScriptedQmp qmp, QemuBlockGraph... graphs) {
        qmp.returns(
                "query-named-block-nodes",
                List.of(graphs).stream().map(QemuBlockGraph::namedBlockNodes).toArray(String[]::new));
        qmp.returns(
                "x-debug-query-block-graph",
                List.of(graphs).stream().map(QemuBlockGraph::blockGraph).toArray(String[]::new));
    }

    String namedBlockNodes() {
        ArrayNode all = JSON.createArrayNode();
        for (BlockNode node : nodes.values()) {
            String filename = node.throttleGroup() == null ? node.filename() : "json:" + spec(node);
            ObjectNode n = all.addObject();
            n.put("iops_rd", 0)
                    .put("detect_zeroes", "off")
                    .put("iops_wr", 0)
                    .put("ro", false)
                    .put("backing_file_depth", 0)
                    .put("node-name", node.name())
                    .put("drv", node.driver())
                    .put("active", true)
                    .put("encrypted", false)
                    .put("iops", 0)
                    .put("bps_wr", 0)
                    .put("write_threshold", 0)
                    .put("bps", 0)
                    .put("bps_rd", 0);
            n.putObject("cache").put("no-flush", false).put("direct", true).put("writeback", true);
            n.put("file", filename);
            n.putObject("image")
                    .put("virtual-size", 67108864L)
                    .put("filename", filename)
                    .put("format", node.driver())
                    .put("dirty-flag", false);
        }
        return all.toString();
    }

    String blockGraph() {
        Map<String, Long> ids = new LinkedHashMap<>();
        ObjectNode graph = JSON.createObjectNode();
        ArrayNode nodeList = graph.putArray("nodes");
        devices.keySet().forEach(qdev -> nodeList.addObject()
                .put("name", qdev)
                .put("type", "block-backend")
                .put("id", id(ids, "device " + qdev)));
        nodes.keySet().forEach(name -> nodeList.addObject()
                .put("name", name)
                .put("type", "block-driver")
                .put("id", id(ids, name)));
        ArrayNode edges = graph.putArray("edges");
        devices.forEach((qdev, root) -> edge(edges, ids.get("device " + qdev), ids.get(root), "root"));
        nodes.values().stream()
                .filter(n -> n.child() != null)
                .forEach(n -> edge(edges, ids.get(n.name()), ids.get(n.child()), "file"));
        return graph.toString();
    }

    private static long id(Map<String, Long> ids, String key) {
        long id = FIRST_ID + 16384L * ids.size();
        ids.put(key, id);
        return id;
    }

    private static void edge(ArrayNode edges, long parent, long child, String name) {
        ObjectNode edge =
                edges.addObject().put("parent", parent).put("child", child).put("name", name);
        edge.putArray("perm").add("consistent-read").add("write");
        edge.putArray("shared-perm").add("consistent-read").add("write").add("resize");
    }

    /** What QEMU writes into a throttle node's JSON filename: the node's options, children nested. */
    private ObjectNode spec(BlockNode node) {
        ObjectNode spec = JSON.createObjectNode();
        if (node.throttleGroup() != null) {
            spec.put("throttle-group", node.throttleGroup());
        }
        spec.put("driver", node.driver());
        if (node.child() == null) {
            spec.put("filename", node.filename());
        } else {
            spec.set("file", spec(nodes.get(node.child())));
        }
        return spec;
    }
}
