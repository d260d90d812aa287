package org.virtthrottle.qmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Guest: vda (virtio-disk0) -> vt-1 (throttle-b) -> vt-0 (throttle-a) -> libvirt-1-format -> libvirt-1-storage;
 * sda (scsi0-0-0-0) -> libvirt-2-format -> libvirt-2-storage; and an orphan vt-9 (throttle-a) ->
 * libvirt-3-format -> libvirt-3-storage with no device above it.
 */
class LiveGraphTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VIRTIO_DISK0 = "/machine/peripheral/virtio-disk0/virtio-backend";
    private static final String SCSI_DISK = "/machine/peripheral/scsi0-0-0-0";

    private static String namedBlockNodes;
    private static String blockGraph;

    @BeforeAll
    static void load() throws IOException {
        namedBlockNodes = Files.readString(Path.of("testdata/qmp/query-named-block-nodes.json"));
        blockGraph = Files.readString(Path.of("testdata/qmp/x-debug-query-block-graph.json"));
    }

    private static LiveGraph graph() throws IOException {
        return LiveGraph.parse(JSON.readTree(namedBlockNodes), JSON.readTree(blockGraph));
    }

    /** Node name -> device QOM path (null for none), for readable assertions. */
    private static Map<String, String> byName(Map<LiveGraph.BlockNode, LiveGraph.Device> users) {
        Map<String, String> out = new LinkedHashMap<>();
        users.forEach((node, device) -> out.put(node.name(), device == null ? null : device.qdev()));
        return out;
    }

    @Test
    void throttleNodesOfAGroupComeWithTheDeviceAboveThem() throws IOException {
        Map<LiveGraph.BlockNode, LiveGraph.Device> users = graph().throttleNodesUsing("throttle-a");

        assertThat(byName(users)).containsOnly(entry("vt-0", VIRTIO_DISK0), entry("vt-9", null));
        users.forEach((node, device) -> {
            if (node.name().equals("vt-0")) {
                assertThat(device.alias()).isEqualTo("virtio-disk0");
            }
        });
    }

    @Test
    void topThrottleNodeIsFoundByItsOwnGroupOnly() throws IOException {
        Map<LiveGraph.BlockNode, LiveGraph.Device> users = graph().throttleNodesUsing("throttle-b");

        assertThat(byName(users)).containsOnly(entry("vt-1", VIRTIO_DISK0));
    }

    @Test
    void aCycleOfThrottleNodesEndsTheChainInsteadOfLoopingForEver() throws IOException {
        // found by QmpReplyFuzzTest: a reply describing a cycle kept chain() walking it
        LiveGraph graph = LiveGraph.parse(
                JSON.readTree("[{\"node-name\": \"vt-1\", \"drv\": \"throttle\"},"
                        + " {\"node-name\": \"vt-0\", \"drv\": \"throttle\"}]"),
                JSON.readTree("{\"nodes\": [{\"name\": \"dev\", \"type\": \"block-backend\", \"id\": 1},"
                        + " {\"name\": \"vt-1\", \"type\": \"block-driver\", \"id\": 2},"
                        + " {\"name\": \"vt-0\", \"type\": \"block-driver\", \"id\": 3}],"
                        + " \"edges\": [{\"parent\": 1, \"child\": 2}, {\"parent\": 2, \"child\": 3},"
                        + " {\"parent\": 3, \"child\": 2}]}"));

        LiveGraph.Chain chain = graph.chain(graph.devices().get(0));

        assertThat(chain.filters()).extracting(LiveGraph.BlockNode::name).containsExactly("vt-1", "vt-0");
        assertThat(chain.base()).isEqualTo("vt-1");
    }

    @Test
    void aGraphOfSharedChildrenIsWalkedOnceNotOncePerPath() throws IOException {
        // found by QmpReplyFuzzTest: below the device, 30 diamonds in a row are 2^30 paths to walk in
        // search of a throttle node that is not there; walking each path never ended
        List<String> graphNodes = new ArrayList<>(List.of(
                "{\"name\": \"dev\", \"type\": \"block-backend\", \"id\": 1}",
                "{\"name\": \"vt-0\", \"type\": \"block-driver\", \"id\": 2}",
                "{\"name\": \"d0\", \"type\": \"block-driver\", \"id\": 10}"));
        List<String> edges = new ArrayList<>(List.of("{\"parent\": 1, \"child\": 10}"));
        for (int i = 0; i < 30; i++) {
            int top = 10 + 3 * i;
            for (int side = 1; side <= 2; side++) {
                graphNodes.add("{\"name\": \"s" + (top + side) + "\", \"type\": \"block-driver\", \"id\": "
                        + (top + side) + "}");
                edges.add("{\"parent\": " + top + ", \"child\": " + (top + side) + "}");
                edges.add("{\"parent\": " + (top + side) + ", \"child\": " + (top + 3) + "}");
            }
            graphNodes.add("{\"name\": \"d" + (i + 1) + "\", \"type\": \"block-driver\", \"id\": " + (top + 3) + "}");
        }
        LiveGraph graph = LiveGraph.parse(
                JSON.readTree("[{\"node-name\": \"vt-0\", \"drv\": \"throttle\","
                        + " \"file\": \"json:{\\\"throttle-group\\\": \\\"g\\\"}\"}]"),
                JSON.readTree("{\"nodes\": [" + String.join(", ", graphNodes) + "], \"edges\": ["
                        + String.join(", ", edges) + "]}"));

        Map<LiveGraph.BlockNode, LiveGraph.Device> users =
                assertTimeoutPreemptively(Duration.ofSeconds(30), () -> graph.throttleNodesUsing("g"));

        assertThat(byName(users)).containsOnly(entry("vt-0", null));
    }

    @Test
    void unusedGroupHasNoThrottleNodes() throws IOException {
        assertThat(graph().throttleNodesUsing("throttle-c")).isEmpty();
    }

    @Test
    void throttleNodeGroupIsTheTopLevelOneInItsJsonFilename() throws IOException {
        Map<String, LiveGraph.BlockNode> nodes = graph().nodes();

        assertThat(nodes.get("vt-1")).isEqualTo(new LiveGraph.BlockNode("vt-1", "throttle", "throttle-b"));
        assertThat(nodes.get("vt-0")).isEqualTo(new LiveGraph.BlockNode("vt-0", "throttle", "throttle-a"));
        assertThat(nodes.get("libvirt-1-format")).isEqualTo(new LiveGraph.BlockNode("libvirt-1-format", "qcow2", null));
        assertThat(nodes.get("libvirt-1-format").isThrottle()).isFalse();
    }

    @Test
    void devicesAreTheBackendsWithTheirRootNodes() throws IOException {
        assertThat(graph().devices())
                .containsExactlyInAnyOrder(
                        new LiveGraph.Device(VIRTIO_DISK0, "vt-1"),
                        new LiveGraph.Device(SCSI_DISK, "libvirt-2-format"));
    }

    @Test
    void deviceAliasIsTheIdUnderPeripheral() {
        assertThat(new LiveGraph.Device(VIRTIO_DISK0, "vt-1").alias()).isEqualTo("virtio-disk0");
        assertThat(new LiveGraph.Device(SCSI_DISK, "libvirt-2-format").alias()).isEqualTo("scsi0-0-0-0");
    }

    @Test
    void deviceOutsidePeripheralKeepsItsPathAsAlias() {
        String anon = "/machine/peripheral-anon/device[3]/virtio-backend";

        assertThat(new LiveGraph.Device(anon, "x").alias()).isEqualTo(anon);
    }

    @Test
    void readAsksBothQueriesInTwoRoundTrips() throws IOException {
        java.util.List<String> sent = new java.util.ArrayList<>();
        QmpClient qmp = new QmpClient(
                command -> {
                    sent.add(command);
                    String execute = Json.read(command).path("execute").asText();
                    String result =
                            switch (execute) {
                                case "query-named-block-nodes" -> namedBlockNodes;
                                case "x-debug-query-block-graph" -> blockGraph;
                                default -> throw new AssertionError("unexpected command " + command);
                            };
                    return "{\"return\": " + result + "}";
                },
                line -> {});

        LiveGraph graph = LiveGraph.read(qmp);

        assertThat(sent).hasSize(2);
        assertThat(byName(graph.throttleNodesUsing("throttle-a")))
                .containsOnly(entry("vt-0", VIRTIO_DISK0), entry("vt-9", null));
    }
}
