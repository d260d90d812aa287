package org.virtthrottle.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.virtthrottle.app.PlanLines.applied;
import static org.virtthrottle.app.PlanLines.limits;
import static org.virtthrottle.app.PlanLines.names;
import static org.virtthrottle.app.PlanLines.undone;
import static org.virtthrottle.model.LimitField.TOTAL_IOPS_SEC;

import org.junit.jupiter.api.Test;
import org.virtthrottle.app.GuestXml.Disk;
import org.virtthrottle.model.DomainThrottleConfig;
import org.virtthrottle.model.FilterChain;
import org.virtthrottle.model.Side;
import org.virtthrottle.model.ThrottleGroup;
import org.virtthrottle.plan.Plan;
import org.virtthrottle.xml.ThrottleConfigXml;

/** vda runs behind vtf-vda-0 (group a); vdb has no filters. */
class DetachDiskTest {
    private static final Disk VDA = Disk.virtio("vda");
    private static final Disk VDB = Disk.virtio("vdb");
    private static final GuestXml GUEST = GuestXml.with(VDA, VDB);
    private static final AffectedSides LIVE = new AffectedSides(true, false, false);
    private static final AffectedSides LIVE_AND_CONFIG = new AffectedSides(true, true, false);
    private static final DomainThrottleConfig RECORD = DomainThrottleConfig.EMPTY
            .withGroup(new ThrottleGroup("a", limits(TOTAL_IOPS_SEC, 200)))
            .withChain("vda", FilterChain.of("a"));
    private static final String PENDING =
            "detach of disk vda is pending: the guest has not released the device yet; it stays"
                    + " attached, behind its throttle filters, until the guest lets go of it (then watch, or the next reconcile,"
                    + " deletes what is left)";

    private final InMemoryDomain domain = InMemoryDomain.running(GUEST.live(7), GUEST.config())
            .recorded(Side.LIVE, RECORD)
            .recorded(Side.CONFIG, RECORD);

    private static QemuBlockGraph vdbAlone() {
        return new QemuBlockGraph().disk(VDB, 2);
    }

    private static QemuBlockGraph withVdaBehindItsFilter() {
        return vdbAlone()
                .image(1, VDA.format(), VDA.image())
                .throttle("vtf-vda-0", "a", "libvirt-1-format")
                .device(VDA.qdev(), "vtf-vda-0");
    }

    @Test
    void thePreviewDetachesLastThingOfAllThatCanBeUndoneThenDeletesWhatTheDiskLeavesInQemu() {
        QemuBlockGraph.answerReads(domain.qmp(), withVdaBehindItsFilter());

        Plan plan = DetachDisk.plan(domain.session(), "vda", LIVE).preview();

        assertThat(names(plan))
                .containsExactly(
                        "detach disk vda (live)",
                        "delete orphan throttle filter node vtf-vda-0",
                        "delete node libvirt-1-format of a disk libvirt has detached",
                        "delete node libvirt-1-storage of a disk libvirt has detached",
                        "record in live metadata");
        assertThat(applied(plan).get(0))
                .startsWith("detach-device --live\n<disk ")
                .contains("<target bus=\"virtio\" dev=\"vda\"/>")
                .contains("<alias name=\"virtio-disk0\"/>");
        assertThat(undone(plan).subList(0, 4))
                .as("a live detach cannot be taken back")
                .containsOnly("-");
        assertThat(applied(plan).get(1))
                .isEqualTo("qmp {\"execute\":\"blockdev-del\",\"arguments\":{\"node-name\":\"vtf-vda-0\"}}");
    }

    @Test
    void aGuestHoldingTheDiskMakesTheDetachPendingAndItsFilterStays() {
        QemuBlockGraph.answerReads(domain.qmp(), withVdaBehindItsFilter());
        domain.guestHoldsDetachedDisks();
        DomainSession session = domain.session();
        Change change = DetachDisk.plan(session, "vda", LIVE_AND_CONFIG);

        assertThatThrownBy(() -> change.apply(session)).hasMessage(PENDING);
        assertThat(domain.calls())
                .extracting(InMemoryDomain.Call::operation, InMemoryDomain.Call::side)
                .containsExactly(
                        tuple("detachDevice", Side.CONFIG),
                        tuple("setThrottleMetadata", Side.CONFIG),
                        tuple("detachDevice", Side.LIVE));
        assertThat(domain.qmp().executed())
                .as("only the preview's reads")
                .containsExactly("query-named-block-nodes", "x-debug-query-block-graph");
        assertThat(ThrottleConfigXml.fromMetadata(domain.metadata(Side.LIVE))).isEqualTo(RECORD);
        assertThat(ThrottleConfigXml.fromMetadata(domain.metadata(Side.CONFIG)).chains())
                .isEmpty();
    }

    @Test
    void onceTheGuestLetsGoTheFilterAndTheNodesOnlyItHeldAreDeletedAndTheChainForgotten() {
        QemuBlockGraph orphaned =
                vdbAlone().image(1, VDA.format(), VDA.image()).throttle("vtf-vda-0", "a", "libvirt-1-format");
        QemuBlockGraph.answerReads(domain.qmp(), withVdaBehindItsFilter(), orphaned);
        DomainSession session = domain.session();

        DetachDisk.plan(session, "vda", LIVE).apply(session);

        assertThat(domain.qmp().executed())
                .containsExactly(
                        "query-named-block-nodes",
                        "x-debug-query-block-graph",
                        "query-named-block-nodes",
                        "x-debug-query-block-graph",
                        "blockdev-del",
                        "blockdev-del",
                        "blockdev-del");
        assertThat(domain.qmp().sent().subList(4, 7))
                .containsExactly(
                        "{\"execute\":\"blockdev-del\",\"arguments\":{\"node-name\":\"vtf-vda-0\"}}",
                        "{\"execute\":\"blockdev-del\",\"arguments\":{\"node-name\":\"libvirt-1-format\"}}",
                        "{\"execute\":\"blockdev-del\",\"arguments\":{\"node-name\":\"libvirt-1-storage\"}}");
        assertThat(session.xml(Side.LIVE).disk("vda")).isEmpty();
        assertThat(ThrottleConfigXml.fromMetadata(domain.metadata(Side.LIVE)))
                .isEqualTo(RECORD.withChain("vda", FilterChain.NONE));
    }
}
