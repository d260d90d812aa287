package org.virtthrottle.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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

class DeleteThrottleGroupTest {
    private static final Disk VDA = Disk.virtio("vda");
    private static final GuestXml GUEST = GuestXml.with(VDA);
    private static final AffectedSides LIVE = new AffectedSides(true, false, false);
    private static final AffectedSides CONFIG = new AffectedSides(false, true, false);
    private static final AffectedSides LIVE_AND_CONFIG = new AffectedSides(true, true, false);
    private static final DomainThrottleConfig GROUP_A =
            DomainThrottleConfig.EMPTY.withGroup(new ThrottleGroup("a", limits(TOTAL_IOPS_SEC, 200)));

    private final InMemoryDomain domain = InMemoryDomain.running(GUEST.live(7), GUEST.config());

    @Test
    void anUnusedGroupIsDeletedLiveInOneQmpCommandThenFromBothRecords() {
        domain.recorded(Side.LIVE, GROUP_A).recorded(Side.CONFIG, GROUP_A);
        DomainSession session = domain.session();

        Change change = DeleteThrottleGroup.plan(session, "a", LIVE_AND_CONFIG);

        Plan plan = change.preview();
        assertThat(names(plan))
                .containsExactly(
                        "delete throttle group object throttle-a",
                        "record in live metadata",
                        "record in config metadata");
        assertThat(applied(plan).get(0))
                .isEqualTo("qmp {\"execute\":\"object-del\",\"arguments\":{\"id\":\"throttle-a\"}}");
        assertThat(undone(plan).get(0))
                .isEqualTo("qmp {\"execute\":\"object-add\",\"arguments\":{\"qom-type\":\"throttle-group\","
                        + "\"id\":\"throttle-a\",\"limits\":{\"iops-total\":200}}}");

        change.apply(session);

        assertThat(domain.qmp().executed()).containsExactly("object-del");
        assertThat(ThrottleConfigXml.fromMetadata(domain.metadata(Side.LIVE))).isEqualTo(DomainThrottleConfig.EMPTY);
        assertThat(domain.metadata(Side.CONFIG))
                .as("an empty config record is removed")
                .isNull();
    }

    @Test
    void aGroupADiskUsesInTheConfigIsRefusedBeforeAnythingIsSent() {
        domain.recorded(Side.LIVE, GROUP_A).recorded(Side.CONFIG, GROUP_A.withChain("vda", FilterChain.of("a")));

        assertThatThrownBy(() -> DeleteThrottleGroup.plan(domain.session(), "a", LIVE_AND_CONFIG))
                .hasMessage("invalid argument: throttle group 'a' is still being used by disk vda");
        assertThat(domain.qmp().sent()).isEmpty();
        assertThat(domain.calls()).isEmpty();
    }

    @Test
    void aGroupAFilterUsesLiveIsRefusedByQemuAndTheErrorNamesTheDisk() {
        domain.recorded(Side.LIVE, GROUP_A);
        domain.qmp()
                .failsFor(
                        "object-del",
                        "throttle-a",
                        "GenericError",
                        "object 'throttle-a' is in use, can not be deleted");
        QemuBlockGraph.answerReads(
                domain.qmp(),
                new QemuBlockGraph()
                        .image(1, "qcow2", VDA.image())
                        .throttle("vtf-vda-0", "a", "libvirt-1-format")
                        .device(VDA.qdev(), "vtf-vda-0"));
        DomainSession session = domain.session();
        Change change = DeleteThrottleGroup.plan(session, "a", LIVE);

        assertThatThrownBy(() -> change.apply(session))
                .hasMessage("invalid argument: throttle group 'a' is still being used by disk vda");
        assertThat(domain.qmp().executed())
                .containsExactly("object-del", "query-named-block-nodes", "x-debug-query-block-graph");
        assertThat(domain.calls()).as("the record stays as it was").isEmpty();
    }

    @Test
    void aGroupNeitherRecordedNorInQemuIsNotFoundLive() {
        domain.qmp()
                .failsFor("qom-get", "/objects/throttle-x", "DeviceNotFound", "Device '/objects/throttle-x' not found");

        assertThatThrownBy(() -> DeleteThrottleGroup.plan(domain.session(), "x", LIVE))
                .hasMessage("throttle group 'x' not found in the running domain");
        assertThatThrownBy(() -> DeleteThrottleGroup.plan(domain.session(), "x", CONFIG))
                .hasMessage("throttle group 'x' not found in the persistent configuration");
        assertThat(domain.qmp().executed()).containsExactly("qom-get");
    }
}
