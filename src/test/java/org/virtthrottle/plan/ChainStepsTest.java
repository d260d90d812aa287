package org.virtthrottle.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.virtthrottle.model.FilterChain;
import org.virtthrottle.qmp.LiveGraph;

class ChainStepsTest {
    private static final LiveGraph.Device DEVICE = new LiveGraph.Device("/machine/peripheral/virtio-disk1/virtio-backend", "top");
    /** QEMU's rule for node names: a letter, then letters, digits, '-', '.', '_'; at most 31 characters. */
    private static final Pattern QEMU_NODE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9._-]{0,30}");

    private static LiveGraph.BlockNode filter(String name, String group) {
        return new LiveGraph.BlockNode(name, "throttle", "throttle-" + group);
    }

    /** A device whose chain is the given filters (top first) over the node "fmt". */
    private static LiveGraph.Chain chain(LiveGraph.BlockNode... topFirst) {
        LiveGraph.Device device = new LiveGraph.Device(DEVICE.qdev(), topFirst.length == 0 ? "fmt" : topFirst[0].name());
        return new LiveGraph.Chain(device, List.of(topFirst), "fmt");
    }

    private static List<String> applied(List<Step> steps) {
        return steps.stream().map(s -> s.apply().describe()).toList();
    }

    @Test
    void splicingOntoABareDiskAddsFiltersBottomUpThenSwitchesTheDeviceOnce() {
        List<Step> steps = ChainSteps.rechain(chain(), FilterChain.of("a", "b"), "vdb", Set.of());

        assertThat(applied(steps)).containsExactly(
                "qmp {\"execute\":\"blockdev-add\",\"arguments\":{\"driver\":\"throttle\",\"node-name\":\"vtf-vdb-0\",\"throttle-group\":\"throttle-a\",\"file\":\"fmt\"}}",
                "qmp {\"execute\":\"blockdev-add\",\"arguments\":{\"driver\":\"throttle\",\"node-name\":\"vtf-vdb-1\",\"throttle-group\":\"throttle-b\",\"file\":\"vtf-vdb-0\"}}",
                "qmp {\"execute\":\"qom-set\",\"arguments\":{\"path\":\"/machine/peripheral/virtio-disk1/virtio-backend\",\"property\":\"drive\",\"value\":\"vtf-vdb-1\"}}");
        assertThat(steps.get(2).undo().describe()).contains("\"value\":\"fmt\"");
    }

    @Test
    void anUnchangedChainNeedsNoStep() {
        assertThat(ChainSteps.rechain(chain(filter("n1", "b"), filter("n0", "a")), FilterChain.of("a", "b"), "vdb", Set.of())).isEmpty();
        assertThat(ChainSteps.rechain(chain(), FilterChain.of(), "vdb", Set.of())).isEmpty();
    }

    @Test
    void addingAGroupOnTopKeepsTheExistingFilters() {
        List<Step> steps = ChainSteps.rechain(chain(filter("n0", "a")), FilterChain.of("a", "b"), "vdb", Set.of("n0"));

        assertThat(applied(steps)).hasSize(2);
        assertThat(applied(steps).get(0)).contains("\"throttle-group\":\"throttle-b\",\"file\":\"n0\"");
        assertThat(applied(steps).get(1)).contains("\"property\":\"drive\"");
    }

    @Test
    void droppingTheTopGroupSwitchesDownThenDeletesOnlyThatFilter() {
        List<Step> steps = ChainSteps.rechain(chain(filter("n1", "b"), filter("n0", "a")), FilterChain.of("a"), "vdb", Set.of());

        assertThat(applied(steps)).containsExactly(
                "qmp {\"execute\":\"qom-set\",\"arguments\":{\"path\":\"/machine/peripheral/virtio-disk1/virtio-backend\",\"property\":\"drive\",\"value\":\"n0\"}}",
                "qmp {\"execute\":\"blockdev-del\",\"arguments\":{\"node-name\":\"n1\"}}");
        assertThat(steps.get(1).undo().describe())
                .isEqualTo("qmp {\"execute\":\"blockdev-add\",\"arguments\":{\"driver\":\"throttle\",\"node-name\":\"n1\",\"throttle-group\":\"throttle-b\",\"file\":\"n0\"}}");
    }

    @Test
    void aDifferentBottomRebuildsAboveTheDiskAndDeletesTheOldFiltersTopDown() {
        List<Step> steps = ChainSteps.rechain(chain(filter("vtf-vdb-1", "b"), filter("vtf-vdb-0", "a")), FilterChain.of("b", "a"),
                "vdb", Set.of("vtf-vdb-0", "vtf-vdb-1", "fmt"));

        assertThat(applied(steps)).hasSize(5);
        assertThat(applied(steps).get(0)).contains("\"node-name\":\"vtf-vdb-2\"").contains("\"throttle-group\":\"throttle-b\",\"file\":\"fmt\"");
        assertThat(applied(steps).get(1)).contains("\"node-name\":\"vtf-vdb-3\"").contains("\"file\":\"vtf-vdb-2\"");
        assertThat(applied(steps).get(2)).contains("\"value\":\"vtf-vdb-3\"");
        assertThat(applied(steps).get(3)).contains("\"node-name\":\"vtf-vdb-1\"");
        assertThat(applied(steps).get(4)).contains("\"node-name\":\"vtf-vdb-0\"");
    }

    @Test
    void anEmptyChainRemovesEveryFilter() {
        List<Step> steps = ChainSteps.rechain(chain(filter("n1", "b"), filter("n0", "a")), FilterChain.of(), "vdb", Set.of());

        assertThat(applied(steps)).containsExactly(
                "qmp {\"execute\":\"qom-set\",\"arguments\":{\"path\":\"/machine/peripheral/virtio-disk1/virtio-backend\",\"property\":\"drive\",\"value\":\"fmt\"}}",
                "qmp {\"execute\":\"blockdev-del\",\"arguments\":{\"node-name\":\"n1\"}}",
                "qmp {\"execute\":\"blockdev-del\",\"arguments\":{\"node-name\":\"n0\"}}");
    }

    @Test
    void nodeNamesAreQemuValidNeverLibvirtsAndSkipTakenOnes() {
        for (String target : List.of("vda", "sdaa", "hd_c", "x".repeat(200), "sd a!<>&\"'", "123")) {
            List<String> names = FilterNodeNames.allocate(target, 12, Set.of());
            assertThat(names).hasSize(12).doesNotHaveDuplicates()
                    .allMatch(n -> QEMU_NODE_NAME.matcher(n).matches(), "QEMU node name")
                    .noneMatch(n -> n.startsWith("libvirt-"))
                    .allMatch(FilterNodeNames::isOurs);
        }
        assertThat(FilterNodeNames.allocate("vdb", 2, Set.of("vtf-vdb-0", "vtf-vdb-2"))).containsExactly("vtf-vdb-1", "vtf-vdb-3");
    }
}
