package org.virtthrottle.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.virtthrottle.app.PlanLines.applied;
import static org.virtthrottle.app.PlanLines.limits;
import static org.virtthrottle.app.PlanLines.names;
import static org.virtthrottle.app.PlanLines.undone;
import static org.virtthrottle.model.LimitField.TOTAL_IOPS_SEC;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtthrottle.app.GuestXml.Disk;
import org.virtthrottle.model.DomainThrottleConfig;
import org.virtthrottle.model.FilterChain;
import org.virtthrottle.model.Side;
import org.virtthrottle.model.ThrottleGroup;
import org.virtthrottle.plan.Plan;

/** vda runs behind vtf-vda-1 (group b) over vtf-vda-0 (group a) over libvirt's libvirt-1-format. */
class SetFilterChainTest {
    private static final AffectedSides LIVE = new AffectedSides(true, false, false);
    private static final String VDA_QDEV = Disk.virtio("vda").qdev();

    private static InMemoryDomain chainedOnVda(Disk vda) {
        GuestXml guest = GuestXml.with(vda).iothreads(1);
        InMemoryDomain domain = InMemoryDomain.running(guest.live(7), guest.config());
        domain.qmp().returnsFor("qom-list", "/objects", QemuReplies.objects("throttle-a", "throttle-b", "throttle-c"));
        QemuBlockGraph.answerReads(
                domain.qmp(),
                new QemuBlockGraph()
                        .image(1, vda.format(), vda.image())
                        .throttle("vtf-vda-0", "a", "libvirt-1-format")
                        .throttle("vtf-vda-1", "b", "vtf-vda-0")
                        .device(vda.qdev(), "vtf-vda-1"));
        return domain;
    }

    /** The plan that gives vda the chain live. */
    private static Plan rechainVda(InMemoryDomain domain, FilterChain chain) {
        return SetFilterChain.plan(domain.session(), "vda", chain, LIVE, false).preview();
    }

    @Test
    void theCommonBottomStaysAndOnlyWhatIsAboveItIsRebuilt() {
        InMemoryDomain domain = chainedOnVda(Disk.virtio("vda"));

        Plan plan = rechainVda(domain, FilterChain.of("a", "c"));

        assertThat(names(plan))
                .containsExactly(
                        "add throttle filter vtf-vda-2 (group c) over vtf-vda-0",
                        "point vda (" + VDA_QDEV + ") at vtf-vda-2",
                        "delete throttle filter vtf-vda-1",
                        "record in live metadata");
        assertThat(applied(plan).subList(0, 3))
                .containsExactly(
                        "qmp {\"execute\":\"blockdev-add\",\"arguments\":{\"driver\":\"throttle\",\"node-name\":\"vtf-vda-2\","
                                + "\"throttle-group\":\"throttle-c\",\"file\":\"vtf-vda-0\"}}",
                        "qmp {\"execute\":\"qom-set\",\"arguments\":{\"path\":\"" + VDA_QDEV
                                + "\",\"property\":\"drive\",\"value\":\"vtf-vda-2\"}}",
                        "qmp {\"execute\":\"blockdev-del\",\"arguments\":{\"node-name\":\"vtf-vda-1\"}}");
        assertThat(undone(plan).get(2))
                .isEqualTo("qmp {\"execute\":\"blockdev-add\",\"arguments\":{\"driver\":\"throttle\","
                        + "\"node-name\":\"vtf-vda-1\",\"throttle-group\":\"throttle-b\",\"file\":\"vtf-vda-0\"}}");
        assertThat(domain.qmp().executed())
                .containsExactly("qom-list", "query-named-block-nodes", "x-debug-query-block-graph");
    }

    @Test
    void theSameRecordLiveAndInTheConfigIsWrittenToBothInOneCallSoNoKillCanSplitThem() {
        InMemoryDomain domain = chainedOnVda(Disk.virtio("vda"));
        DomainThrottleConfig recorded = DomainThrottleConfig.EMPTY;
        for (String group : List.of("a", "b", "c")) {
            recorded = recorded.withGroup(new ThrottleGroup(group, limits(TOTAL_IOPS_SEC, 100)));
        }
        recorded = recorded.withChain("vda", FilterChain.of("a", "b"));
        domain.recorded(Side.LIVE, recorded);
        domain.recorded(Side.CONFIG, recorded);
        DomainSession session = domain.session();

        Change change = SetFilterChain.plan(
                session, "vda", FilterChain.of("a", "c"), new AffectedSides(true, true, false), false);
        change.apply(session);

        assertThat(names(change.preview()))
                .containsExactly(
                        "add throttle filter vtf-vda-2 (group c) over vtf-vda-0",
                        "point vda (" + VDA_QDEV + ") at vtf-vda-2",
                        "delete throttle filter vtf-vda-1",
                        "record in live and config metadata");
        assertThat(domain.calls())
                .extracting(InMemoryDomain.Call::operation)
                .containsExactly("setThrottleMetadataBothSides");
        for (Side side : Side.values()) {
            assertThat(session.config(side).chains()).containsEntry("vda", FilterChain.of("a", "c"));
        }
    }

    @Test
    void aDifferentBottomRebuildsTheWholeChainOverLibvirtsNode() {
        InMemoryDomain domain = chainedOnVda(Disk.virtio("vda"));

        Plan plan = rechainVda(domain, FilterChain.of("b", "a"));

        assertThat(names(plan))
                .containsExactly(
                        "add throttle filter vtf-vda-2 (group b) over libvirt-1-format",
                        "add throttle filter vtf-vda-3 (group a) over vtf-vda-2",
                        "point vda (" + VDA_QDEV + ") at vtf-vda-3",
                        "delete throttle filter vtf-vda-1",
                        "delete throttle filter vtf-vda-0",
                        "record in live metadata");
    }

    @Test
    void anEmptyChainPointsTheDeviceBackAtLibvirtsNodeAndDeletesTheFiltersTopDown() {
        InMemoryDomain domain = chainedOnVda(Disk.virtio("vda"));

        Plan plan = rechainVda(domain, FilterChain.NONE);

        assertThat(applied(plan).subList(0, 3))
                .containsExactly(
                        "qmp {\"execute\":\"qom-set\",\"arguments\":{\"path\":\"" + VDA_QDEV
                                + "\",\"property\":\"drive\",\"value\":\"libvirt-1-format\"}}",
                        "qmp {\"execute\":\"blockdev-del\",\"arguments\":{\"node-name\":\"vtf-vda-1\"}}",
                        "qmp {\"execute\":\"blockdev-del\",\"arguments\":{\"node-name\":\"vtf-vda-0\"}}");
        assertThat(domain.qmp().executed())
                .as("no group to check")
                .containsExactly("query-named-block-nodes", "x-debug-query-block-graph");
    }

    @Test
    void aDiskInAnIothreadGetsItsNewFiltersTheIothreadWayWithQemusIothreadId() {
        InMemoryDomain domain = chainedOnVda(Disk.virtio("vda").inIothread(1));
        domain.qmp().returns("query-iothreads", QemuReplies.iothreads("iothread1"));

        Plan plan = rechainVda(domain, FilterChain.of("a", "c"));

        assertThat(names(plan))
                .containsExactly(
                        "add placeholder vtp-vda-0 for vtf-vda-2",
                        "add throttle filter vtf-vda-2 (group c) over placeholder vtp-vda-0",
                        "move vtf-vda-2 into IOThread iothread1",
                        "put vtf-vda-2 over vtf-vda-0",
                        "delete placeholder vtp-vda-0",
                        "point vda (" + VDA_QDEV + ") at vtf-vda-2",
                        "delete throttle filter vtf-vda-1",
                        "record in live metadata");
        assertThat(domain.qmp().executed()).contains("query-iothreads");
    }

    @Test
    void anIothreadQemuDoesNotHaveIsRefused() {
        InMemoryDomain domain = chainedOnVda(Disk.virtio("vda").inIothread(1));
        domain.qmp().returns("query-iothreads", QemuReplies.iothreads());

        assertThatThrownBy(() -> rechainVda(domain, FilterChain.of("a", "c")))
                .hasMessage("disk vda runs in IOThread 1, but QEMU has no IOThread 'iothread1' (it has []):"
                        + " its filters cannot be changed live");
    }
}
