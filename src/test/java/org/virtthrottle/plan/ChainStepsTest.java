package org.virtthrottle.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.virtthrottle.model.FilterChain;
import org.virtthrottle.qmp.LiveGraph;

class ChainStepsTest {
    private static final LiveGraph.Device DEVICE =
            new LiveGraph.Device("/machine/peripheral/virtio-disk1/virtio-backend", "top");
    /** QEMU's rule for node names: a letter, then letters, digits, '-', '.', '_'; at most 31 characters. */
    private static final Pattern QEMU_NODE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9._-]{0,30}");

    private static LiveGraph.BlockNode filter(String name, String group) {
        return new LiveGraph.BlockNode(name, "throttle", "throttle-" + group);
    }

    /** A device whose chain is the given filters (top first) over the node "fmt". */
    private static LiveGraph.Chain chain(LiveGraph.BlockNode... topFirst) {
        LiveGraph.Device device =
                new LiveGraph.Device(DEVICE.qdev(), topFirst.length == 0 ? "fmt" : topFirst[0].name());
        return new LiveGraph.Chain(device, List.of(topFirst), "fmt");
    }

    private static List<String> applied(List<Step> steps) {
        return steps.stream().map(s -> s.apply().describe()).toList();
    }

    @Test
    void splicingOntoABareDiskAddsFiltersBottomUpThenSwitchesTheDeviceOnce() {
        List<Step> steps = ChainSteps.rechain(chain(), FilterChain.of("a", "b"), "vdb", Set.of(), null);

        assertThat(applied(steps))
                .containsExactly(
                        "qmp {\"execute\":\"blockdev-add\",\"arguments\":{\"driver\":\"throttle\",\"node-name\":\"vtf-vdb-0\",\"throttle-group\":\"throttle-a\",\"file\":\"fmt\"}}",
                        "qmp {\"execute\":\"blockdev-add\",\"arguments\":{\"driver\":\"throttle\",\"node-name\":\"vtf-vdb-1\",\"throttle-group\":\"throttle-b\",\"file\":\"vtf-vdb-0\"}}",
                        "qmp {\"execute\":\"qom-set\",\"arguments\":{\"path\":\"/machine/peripheral/virtio-disk1/virtio-backend\",\"property\":\"drive\",\"value\":\"vtf-vdb-1\"}}");
        assertThat(steps.get(2).undo().describe()).contains("\"value\":\"fmt\"");
    }

    @Test
    void anUnchangedChainNeedsNoStep() {
        assertThat(ChainSteps.rechain(
                        chain(filter("n1", "b"), filter("n0", "a")), FilterChain.of("a", "b"), "vdb", Set.of(), null))
                .isEmpty();
        assertThat(ChainSteps.rechain(chain(), FilterChain.of(), "vdb", Set.of(), null))
                .isEmpty();
    }

    @Test
    void addingAGroupOnTopKeepsTheExistingFilters() {
        List<Step> steps =
                ChainSteps.rechain(chain(filter("n0", "a")), FilterChain.of("a", "b"), "vdb", Set.of("n0"), null);

        assertThat(applied(steps)).hasSize(2);
        assertThat(applied(steps).get(0)).contains("\"throttle-group\":\"throttle-b\",\"file\":\"n0\"");
        assertThat(applied(steps).get(1)).contains("\"property\":\"drive\"");
    }

    @Test
    void droppingTheTopGroupSwitchesDownThenDeletesOnlyThatFilter() {
        List<Step> steps = ChainSteps.rechain(
                chain(filter("n1", "b"), filter("n0", "a")), FilterChain.of("a"), "vdb", Set.of(), null);

        assertThat(applied(steps))
                .containsExactly(
                        "qmp {\"execute\":\"qom-set\",\"arguments\":{\"path\":\"/machine/peripheral/virtio-disk1/virtio-backend\",\"property\":\"drive\",\"value\":\"n0\"}}",
                        "qmp {\"execute\":\"blockdev-del\",\"arguments\":{\"node-name\":\"n1\"}}");
        assertThat(steps.get(1).undo().describe())
                .isEqualTo(
                        "qmp {\"execute\":\"blockdev-add\",\"arguments\":{\"driver\":\"throttle\",\"node-name\":\"n1\",\"throttle-group\":\"throttle-b\",\"file\":\"n0\"}}");
    }

    @Test
    void aDifferentBottomRebuildsAboveTheDiskAndDeletesTheOldFiltersTopDown() {
        List<Step> steps = ChainSteps.rechain(
                chain(filter("vtf-vdb-1", "b"), filter("vtf-vdb-0", "a")),
                FilterChain.of("b", "a"),
                "vdb",
                Set.of("vtf-vdb-0", "vtf-vdb-1", "fmt"),
                null);

        assertThat(applied(steps)).hasSize(5);
        assertThat(applied(steps).get(0))
                .contains("\"node-name\":\"vtf-vdb-2\"")
                .contains("\"throttle-group\":\"throttle-b\",\"file\":\"fmt\"");
        assertThat(applied(steps).get(1))
                .contains("\"node-name\":\"vtf-vdb-3\"")
                .contains("\"file\":\"vtf-vdb-2\"");
        assertThat(applied(steps).get(2)).contains("\"value\":\"vtf-vdb-3\"");
        assertThat(applied(steps).get(3)).contains("\"node-name\":\"vtf-vdb-1\"");
        assertThat(applied(steps).get(4)).contains("\"node-name\":\"vtf-vdb-0\"");
    }

    @Test
    void anEmptyChainRemovesEveryFilter() {
        List<Step> steps = ChainSteps.rechain(
                chain(filter("n1", "b"), filter("n0", "a")), FilterChain.of(), "vdb", Set.of(), null);

        assertThat(applied(steps))
                .containsExactly(
                        "qmp {\"execute\":\"qom-set\",\"arguments\":{\"path\":\"/machine/peripheral/virtio-disk1/virtio-backend\",\"property\":\"drive\",\"value\":\"fmt\"}}",
                        "qmp {\"execute\":\"blockdev-del\",\"arguments\":{\"node-name\":\"n1\"}}",
                        "qmp {\"execute\":\"blockdev-del\",\"arguments\":{\"node-name\":\"n0\"}}");
    }

    @Test
    void nodeNamesAreQemuValidNeverLibvirtsAndSkipTakenOnes() {
        for (String target : List.of("vda", "sdaa", "hd_c", "x".repeat(200), "sd a!<>&\"'", "123")) {
            List<String> names = FilterNodeNames.allocate(target, 12, Set.of());
            assertThat(names)
                    .hasSize(12)
                    .doesNotHaveDuplicates()
                    .allMatch(n -> QEMU_NODE_NAME.matcher(n).matches(), "QEMU node name")
                    .noneMatch(n -> n.startsWith("libvirt-"))
                    .allMatch(FilterNodeNames::isOurs);
        }
        assertThat(FilterNodeNames.allocate("vdb", 2, Set.of("vtf-vdb-0", "vtf-vdb-2")))
                .containsExactly("vtf-vdb-1", "vtf-vdb-3");
    }

    @Test
    void inAnIothreadEachFilterIsBuiltOverAPlaceholderMovedInThenReopenedOverItsChild() {
        List<Step> steps = ChainSteps.rechain(chain(), FilterChain.of("a", "b"), "vdb", Set.of("fmt"), "iothread1");

        assertThat(applied(steps))
                .containsExactly(
                        "qmp {\"execute\":\"blockdev-add\",\"arguments\":{\"driver\":\"null-co\",\"node-name\":\"vtp-vdb-0\",\"read-zeroes\":true}}",
                        "qmp {\"execute\":\"blockdev-add\",\"arguments\":{\"driver\":\"throttle\",\"node-name\":\"vtf-vdb-0\",\"throttle-group\":\"throttle-a\",\"file\":\"vtp-vdb-0\"}}",
                        "qmp {\"execute\":\"x-blockdev-set-iothread\",\"arguments\":{\"node-name\":\"vtf-vdb-0\",\"iothread\":\"iothread1\"}}",
                        "qmp {\"execute\":\"blockdev-reopen\",\"arguments\":{\"options\":[{\"driver\":\"throttle\",\"node-name\":\"vtf-vdb-0\",\"throttle-group\":\"throttle-a\",\"file\":\"fmt\"}]}}",
                        "qmp {\"execute\":\"blockdev-del\",\"arguments\":{\"node-name\":\"vtp-vdb-0\"}}",
                        "qmp {\"execute\":\"blockdev-add\",\"arguments\":{\"driver\":\"null-co\",\"node-name\":\"vtp-vdb-1\",\"read-zeroes\":true}}",
                        "qmp {\"execute\":\"blockdev-add\",\"arguments\":{\"driver\":\"throttle\",\"node-name\":\"vtf-vdb-1\",\"throttle-group\":\"throttle-b\",\"file\":\"vtp-vdb-1\"}}",
                        "qmp {\"execute\":\"x-blockdev-set-iothread\",\"arguments\":{\"node-name\":\"vtf-vdb-1\",\"iothread\":\"iothread1\"}}",
                        "qmp {\"execute\":\"blockdev-reopen\",\"arguments\":{\"options\":[{\"driver\":\"throttle\",\"node-name\":\"vtf-vdb-1\",\"throttle-group\":\"throttle-b\",\"file\":\"vtf-vdb-0\"}]}}",
                        "qmp {\"execute\":\"blockdev-del\",\"arguments\":{\"node-name\":\"vtp-vdb-1\"}}",
                        "qmp {\"execute\":\"qom-set\",\"arguments\":{\"path\":\"/machine/peripheral/virtio-disk1/virtio-backend\",\"property\":\"drive\",\"value\":\"vtf-vdb-1\"}}");
    }

    @Test
    void inAnIothreadNoUndoEverAddsAThrottleNodeStraightOverAnotherNode() {
        // undoing in reverse from any point must leave nothing; the filter's own deletion undoes move and reopen
        List<Step> steps = ChainSteps.rechain(chain(), FilterChain.of("a"), "vdb", Set.of("fmt"), "iothread1");
        assertThat(steps.stream()
                        .map(s -> s.undo() == null ? "-" : s.undo().describe())
                        .toList())
                .containsExactly(
                        "qmp {\"execute\":\"blockdev-del\",\"arguments\":{\"node-name\":\"vtp-vdb-0\"}}",
                        "qmp {\"execute\":\"blockdev-del\",\"arguments\":{\"node-name\":\"vtf-vdb-0\"}}",
                        "-",
                        "-",
                        "qmp {\"execute\":\"blockdev-add\",\"arguments\":{\"driver\":\"null-co\",\"node-name\":\"vtp-vdb-0\",\"read-zeroes\":true}}",
                        "qmp {\"execute\":\"qom-set\",\"arguments\":{\"path\":\"/machine/peripheral/virtio-disk1/virtio-backend\",\"property\":\"drive\",\"value\":\"fmt\"}}");
    }

    @Test
    void inAnIothreadADeletedFilterIsPutBackTheSafeWayByItsUndo() {
        List<Step> steps = ChainSteps.rechain(
                chain(filter("vtf-vdb-1", "b"), filter("vtf-vdb-0", "a")),
                FilterChain.of(),
                "vdb",
                Set.of("vtf-vdb-0", "vtf-vdb-1", "fmt"),
                "iothread1");

        assertThat(applied(steps)).hasSize(3);
        assertThat(steps.get(1).undo().describe().lines().toList())
                .containsExactly(
                        "qmp {\"execute\":\"blockdev-add\",\"arguments\":{\"driver\":\"null-co\",\"node-name\":\"vtp-vdb-0\",\"read-zeroes\":true}}",
                        "qmp {\"execute\":\"blockdev-add\",\"arguments\":{\"driver\":\"throttle\",\"node-name\":\"vtf-vdb-1\",\"throttle-group\":\"throttle-b\",\"file\":\"vtp-vdb-0\"}}",
                        "qmp {\"execute\":\"x-blockdev-set-iothread\",\"arguments\":{\"node-name\":\"vtf-vdb-1\",\"iothread\":\"iothread1\"}}",
                        "qmp {\"execute\":\"blockdev-reopen\",\"arguments\":{\"options\":[{\"driver\":\"throttle\",\"node-name\":\"vtf-vdb-1\",\"throttle-group\":\"throttle-b\",\"file\":\"vtf-vdb-0\"}]}}",
                        "qmp {\"execute\":\"blockdev-del\",\"arguments\":{\"node-name\":\"vtp-vdb-0\"}}");
        assertThat(steps.get(2).undo().describe()).contains("\"file\":\"fmt\"").contains("x-blockdev-set-iothread");
    }

    @Test
    void placeholderNamesAreOursAndNeverTaken() {
        assertThat(FilterNodeNames.placeholder("vdb", Set.of("vtp-vdb-0"))).isEqualTo("vtp-vdb-1");
        assertThat(FilterNodeNames.isOurs(FilterNodeNames.placeholder("x".repeat(40), Set.of())))
                .isTrue();
        assertThat(QEMU_NODE_NAME
                        .matcher(FilterNodeNames.placeholder("x".repeat(40), Set.of()))
                        .matches())
                .isTrue();
    }
}
