package org.virtthrottle.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.virtthrottle.app.PlanLines.applied;
import static org.virtthrottle.app.PlanLines.limits;
import static org.virtthrottle.app.PlanLines.names;
import static org.virtthrottle.model.LimitField.TOTAL_IOPS_SEC;

import org.junit.jupiter.api.Test;
import org.virtthrottle.app.GuestXml.Disk;
import org.virtthrottle.model.DomainThrottleConfig;
import org.virtthrottle.model.FilterChain;
import org.virtthrottle.model.Side;
import org.virtthrottle.model.ThrottleGroup;
import org.virtthrottle.xml.ThrottleConfigXml;

/** A running guest with vda; QEMU has no throttle group and vda no filter unless a test says so. */
class ReconcileTest {
    private static final Disk VDA = Disk.virtio("vda");
    private static final GuestXml GUEST = GuestXml.with(VDA);
    private static final DomainThrottleConfig LIVE_RECORD = DomainThrottleConfig.EMPTY
            .withGroup(new ThrottleGroup("a", limits(TOTAL_IOPS_SEC, 100)))
            .withChain("vda", FilterChain.of("a"));
    private static final DomainThrottleConfig CONFIG = DomainThrottleConfig.EMPTY
            .withGroup(new ThrottleGroup("a", limits(TOTAL_IOPS_SEC, 999)))
            .withGroup(new ThrottleGroup("b", limits(TOTAL_IOPS_SEC, 50)))
            .withChain("vda", FilterChain.of("a", "b"));
    private static final String VDA_POINTED_AT = "point vda (" + VDA.qdev() + ") at ";

    private final InMemoryDomain domain =
            InMemoryDomain.running(GUEST.live(7), GUEST.config()).recorded(Side.CONFIG, CONFIG);

    private void qemuHas(QemuBlockGraph graph, String... groupIds) {
        domain.qmp().returnsFor("qom-list", "/objects", QemuReplies.objects(groupIds));
        QemuBlockGraph.answerReads(domain.qmp(), graph);
    }

    @Test
    void whatShouldBeLiveIsTheLiveRecordWhenThereIsOne() {
        domain.recorded(Side.LIVE, LIVE_RECORD);
        qemuHas(new QemuBlockGraph().disk(VDA, 1));

        Reconcile.Result result = Reconcile.plan(domain.session());

        assertThat(names(result.plan()))
                .containsExactly(
                        "create throttle group object throttle-a",
                        "add throttle filter vtf-vda-0 (group a) over libvirt-1-format",
                        VDA_POINTED_AT + "vtf-vda-0");
        assertThat(applied(result.plan()).get(0)).contains("\"limits\":{\"iops-total\":100}");
        assertThat(result.changes())
                .containsExactly("created throttle group a", "set the throttle filters of vda to a");
        assertThat(result.drift()).isEmpty();
        assertThat(domain.qmp().executed())
                .containsExactly("qom-list", "query-named-block-nodes", "x-debug-query-block-graph");
    }

    @Test
    void withoutALiveRecordThePersistentConfigIsAppliedAndRecordedLive() {
        qemuHas(new QemuBlockGraph().disk(VDA, 1));
        DomainSession session = domain.session();

        Reconcile.Result result = Reconcile.plan(session);
        session.apply(result.plan());

        assertThat(names(result.plan()))
                .as("the live record first: a reconcile that is killed is finished by the next")
                .containsExactly(
                        "record in live metadata",
                        "create throttle group object throttle-a",
                        "create throttle group object throttle-b",
                        "add throttle filter vtf-vda-0 (group a) over libvirt-1-format",
                        "add throttle filter vtf-vda-1 (group b) over vtf-vda-0",
                        VDA_POINTED_AT + "vtf-vda-1");
        assertThat(applied(result.plan()).get(1)).contains("\"limits\":{\"iops-total\":999}");
        assertThat(domain.qmp().executed())
                .endsWith("object-add", "object-add", "blockdev-add", "blockdev-add", "qom-set");
        assertThat(ThrottleConfigXml.fromMetadata(domain.metadata(Side.LIVE))).isEqualTo(CONFIG);
    }

    @Test
    void limitsQemuHasOtherwiseAreSetBackAndAChainInPlaceIsLeftAlone() {
        domain.recorded(Side.LIVE, LIVE_RECORD);
        domain.qmp().returnsFor("qom-get", "/objects/throttle-a", QemuReplies.limits(limits(TOTAL_IOPS_SEC, 300)));
        qemuHas(
                new QemuBlockGraph()
                        .image(1, VDA.format(), VDA.image())
                        .throttle("vtf-vda-0", "a", "libvirt-1-format")
                        .device(VDA.qdev(), "vtf-vda-0"),
                "throttle-a");

        Reconcile.Result result = Reconcile.plan(domain.session());

        assertThat(names(result.plan())).containsExactly("set limits of throttle-a");
        assertThat(applied(result.plan()))
                .containsExactly("qmp {\"execute\":\"qom-set\",\"arguments\":{\"path\":\"/objects/throttle-a\","
                        + "\"property\":\"limits\",\"value\":{\"iops-total\":100}}}");
        assertThat(result.changes()).containsExactly("set limits of throttle group a");
        assertThat(domain.qmp().executed())
                .as("three reads and one per group")
                .containsExactly("qom-list", "qom-get", "query-named-block-nodes", "x-debug-query-block-graph");
    }

    @Test
    void orphanNodesOfOursAndWhatOnlyTheyHoldAreDeletedOtherNodesAndGroupsAreLeft() {
        domain.recorded(Side.LIVE, DomainThrottleConfig.EMPTY);
        qemuHas(
                new QemuBlockGraph()
                        .disk(VDA, 1)
                        .image(3, "raw", "/var/lib/libvirt/images/web-vdb.img")
                        .throttle("vtf-vdb-0", "a", "libvirt-3-format")
                        .image(4, "raw", "/var/lib/libvirt/images/other.img")
                        .throttle("someone-elses", "a", "libvirt-4-format"),
                "throttle-a");

        Reconcile.Result result = Reconcile.plan(domain.session());

        assertThat(names(result.plan()))
                .containsExactly(
                        "delete orphan throttle filter node vtf-vdb-0",
                        "delete node libvirt-3-format of a disk libvirt has detached",
                        "delete node libvirt-3-storage of a disk libvirt has detached");
        assertThat(applied(result.plan()).get(0))
                .isEqualTo("qmp {\"execute\":\"blockdev-del\",\"arguments\":{\"node-name\":\"vtf-vdb-0\"}}");
        assertThat(result.changes()).first().isEqualTo("deleted orphan throttle filter node vtf-vdb-0");
        assertThat(result.drift())
                .containsExactly("throttle group a is live but not in the live record (left as it is)");
    }

    @Test
    void aShutOffDomainHasNothingToReconcileAndQemuIsNotAsked() {
        InMemoryDomain off = InMemoryDomain.shutOff(GUEST.config()).recorded(Side.CONFIG, CONFIG);

        Reconcile.Result result = Reconcile.plan(off.session());

        assertThat(result.inSync()).isTrue();
        assertThat(result.drift()).containsExactly("domain is not running: nothing to reconcile");
        assertThat(off.qmp().sent()).isEmpty();
    }
}
