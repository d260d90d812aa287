package org.virtthrottle.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.virtthrottle.app.PlanLines.applied;
import static org.virtthrottle.app.PlanLines.limits;
import static org.virtthrottle.app.PlanLines.names;
import static org.virtthrottle.app.PlanLines.undone;
import static org.virtthrottle.model.LimitField.READ_BYTES_SEC;
import static org.virtthrottle.model.LimitField.READ_IOPS_SEC;
import static org.virtthrottle.model.LimitField.TOTAL_BYTES_SEC;
import static org.virtthrottle.model.LimitField.TOTAL_IOPS_SEC;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.virtthrottle.model.DomainThrottleConfig;
import org.virtthrottle.model.InvalidConfigException;
import org.virtthrottle.model.LimitField;
import org.virtthrottle.model.LimitsUpdate;
import org.virtthrottle.model.Side;
import org.virtthrottle.model.ThrottleGroup;
import org.virtthrottle.model.ThrottleLimits;
import org.virtthrottle.plan.Plan;
import org.virtthrottle.xml.ThrottleConfigXml;

class SetThrottleGroupTest {
    private static final GuestXml GUEST = GuestXml.with(GuestXml.Disk.virtio("vda"));
    private static final AffectedSides LIVE_AND_CONFIG = new AffectedSides(true, true, false);
    private static final AffectedSides CURRENT = new AffectedSides(false, false, false);
    private static final String OBJECT_ADD_A =
            "{\"execute\":\"object-add\",\"arguments\":{\"qom-type\":\"throttle-group\","
                    + "\"id\":\"throttle-a\",\"limits\":{\"iops-total\":200}}}";

    private final InMemoryDomain domain = InMemoryDomain.running(GUEST.live(7), GUEST.config());

    private static LimitsUpdate update(LimitField field, long value) {
        return LimitsUpdate.of(Map.of(field, value));
    }

    private static DomainThrottleConfig withGroup(String name, ThrottleLimits limits) {
        return DomainThrottleConfig.EMPTY.withGroup(new ThrottleGroup(name, limits));
    }

    @Test
    void aNewGroupIsRecordedLiveThenCreatedThenRecordedInTheConfigWithoutReadingQemu() {
        DomainSession session = domain.session();

        Change change = SetThrottleGroup.plan(session, "a", update(TOTAL_IOPS_SEC, 200), LIVE_AND_CONFIG);

        Plan plan = change.preview();
        assertThat(names(plan))
                .as("recorded first: reconcile creates a recorded group a killed process did not")
                .containsExactly(
                        "record in live metadata",
                        "create throttle group object throttle-a",
                        "record in config metadata");
        assertThat(applied(plan).get(1)).isEqualTo("qmp " + OBJECT_ADD_A);
        assertThat(undone(plan))
                .containsExactly(
                        "metadata --live --remove",
                        "qmp {\"execute\":\"object-del\",\"arguments\":{\"id\":\"throttle-a\"}}",
                        "metadata --config --remove");
        assertThat(domain.qmp().sent()).isEmpty();

        change.apply(session);

        assertThat(domain.qmp().sent()).containsExactly(OBJECT_ADD_A);
        assertThat(domain.calls())
                .extracting(InMemoryDomain.Call::operation, InMemoryDomain.Call::side)
                .containsExactly(tuple("setThrottleMetadata", Side.LIVE), tuple("setThrottleMetadata", Side.CONFIG));
        DomainThrottleConfig expected = withGroup("a", limits(TOTAL_IOPS_SEC, 200));
        assertThat(ThrottleConfigXml.fromMetadata(domain.metadata(Side.LIVE))).isEqualTo(expected);
        assertThat(ThrottleConfigXml.fromMetadata(domain.metadata(Side.CONFIG))).isEqualTo(expected);
    }

    @Test
    void anUpdateSetsOnlyTheMembersThatChangeAndItsUndoSetsThemBack() {
        domain.recorded(Side.LIVE, withGroup("a", limits(TOTAL_BYTES_SEC, 10485760, READ_IOPS_SEC, 100)));
        DomainSession session = domain.session();

        Change change = SetThrottleGroup.plan(session, "a", update(READ_IOPS_SEC, 300), CURRENT);

        assertThat(names(change.preview())).containsExactly("set limits of throttle-a", "record in live metadata");
        assertThat(applied(change.preview()).get(0))
                .isEqualTo("qmp {\"execute\":\"qom-set\",\"arguments\":"
                        + "{\"path\":\"/objects/throttle-a\",\"property\":\"limits\",\"value\":{\"iops-read\":300}}}");
        assertThat(undone(change.preview()).get(0)).contains("\"value\":{\"iops-read\":100}");

        change.apply(session);

        assertThat(domain.qmp().executed()).containsExactly("qom-set");
        assertThat(ThrottleConfigXml.fromMetadata(domain.metadata(Side.LIVE)))
                .isEqualTo(withGroup("a", limits(TOTAL_BYTES_SEC, 10485760, READ_IOPS_SEC, 300)));
        assertThat(domain.metadata(Side.CONFIG)).isNull();
    }

    @Test
    void switchingFromTotalToReadSendsTheOldTotalAsZero() {
        domain.recorded(Side.LIVE, withGroup("a", limits(TOTAL_BYTES_SEC, 10485760)));

        Plan plan = SetThrottleGroup.plan(domain.session(), "a", update(READ_BYTES_SEC, 5242880), CURRENT)
                .preview();

        assertThat(applied(plan).get(0)).contains("\"value\":{\"bps-total\":0,\"bps-read\":5242880}");
    }

    @Test
    void anUpdateThatChangesNothingHasNoStep() {
        domain.recorded(Side.LIVE, withGroup("a", limits(TOTAL_IOPS_SEC, 200)));
        DomainSession session = domain.session();

        Change change = SetThrottleGroup.plan(session, "a", update(TOTAL_IOPS_SEC, 200), CURRENT);
        change.apply(session);

        assertThat(change.preview().isEmpty()).isTrue();
        assertThat(domain.qmp().sent()).isEmpty();
        assertThat(domain.calls()).isEmpty();
    }

    @Test
    void aGroupQemuLostSinceTheRecordIsCreatedAgainFromWhatQemuSays() {
        domain.recorded(Side.LIVE, withGroup("a", limits(TOTAL_BYTES_SEC, 10485760)));
        domain.qmp()
                .failsFor("qom-set", "/objects/throttle-a", "DeviceNotFound", "Device '/objects/throttle-a' not found")
                .failsFor("qom-get", "/objects/throttle-a", "DeviceNotFound", "Device '/objects/throttle-a' not found");
        DomainSession session = domain.session();

        SetThrottleGroup.plan(session, "a", update(TOTAL_IOPS_SEC, 200), CURRENT)
                .apply(session);

        assertThat(domain.qmp().executed()).containsExactly("qom-set", "qom-get", "object-add");
        assertThat(domain.qmp().sent().get(2)).isEqualTo(OBJECT_ADD_A);
        assertThat(ThrottleConfigXml.fromMetadata(domain.metadata(Side.LIVE)))
                .isEqualTo(withGroup("a", limits(TOTAL_IOPS_SEC, 200)));
    }

    @Test
    void aGroupQemuHasWithoutARecordIsUpdatedFromQemusValues() {
        domain.qmp()
                .failsFor(
                        "object-add",
                        "throttle-a",
                        "GenericError",
                        "attempt to add duplicate property 'throttle-a' to object (type 'container')")
                .returnsFor(
                        "qom-get",
                        "/objects/throttle-a",
                        QemuReplies.limits(limits(TOTAL_IOPS_SEC, 50, READ_BYTES_SEC, 1024)));
        DomainSession session = domain.session();

        SetThrottleGroup.plan(session, "a", update(TOTAL_IOPS_SEC, 200), CURRENT)
                .apply(session);

        assertThat(domain.qmp().executed()).containsExactly("object-add", "qom-get", "qom-set");
        assertThat(domain.qmp().sent().get(2)).contains("\"value\":{\"iops-total\":200}");
        assertThat(ThrottleConfigXml.fromMetadata(domain.metadata(Side.LIVE)))
                .isEqualTo(withGroup("a", limits(TOTAL_IOPS_SEC, 200, READ_BYTES_SEC, 1024)));
    }

    @Test
    void aNameQemuCannotTakeIsRefusedEvenForTheConfigAloneAndNothingIsSent() {
        assertThatThrownBy(() -> SetThrottleGroup.plan(
                        domain.session(), "a b", update(TOTAL_IOPS_SEC, 200), new AffectedSides(false, true, false)))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage(
                        "throttle group name 'a b' cannot be used live: QEMU object id 'throttle-a b' may only contain"
                                + " letters, digits, '-', '.' and '_'");
        assertThatThrownBy(() -> SetThrottleGroup.plan(domain.session(), "", update(TOTAL_IOPS_SEC, 200), CURRENT))
                .hasMessage("throttle group name must not be empty");
        assertThat(domain.qmp().sent()).isEmpty();
        assertThat(domain.calls()).isEmpty();
    }

    @Test
    void lettersDigitsDashesDotsAndUnderscoresMakeTheQomId() {
        Plan plan = SetThrottleGroup.plan(domain.session(), "tier-1.gold_x", update(TOTAL_IOPS_SEC, 200), CURRENT)
                .preview();

        assertThat(names(plan)).contains("create throttle group object throttle-tier-1.gold_x");
    }

    @Test
    void onAShutOffDomainTheCurrentSideIsTheConfigAndQemuIsNotAsked() {
        InMemoryDomain off = InMemoryDomain.shutOff(GUEST.config());
        DomainSession session = off.session();

        SetThrottleGroup.plan(session, "a", update(TOTAL_IOPS_SEC, 200), CURRENT)
                .apply(session);

        assertThat(off.calls())
                .extracting(InMemoryDomain.Call::operation, InMemoryDomain.Call::side)
                .containsExactly(tuple("setThrottleMetadata", Side.CONFIG));
        assertThatThrownBy(() -> SetThrottleGroup.plan(
                        off.session(), "a", update(TOTAL_IOPS_SEC, 200), new AffectedSides(true, false, false)))
                .hasMessage("Requested operation is not valid: domain is not running");
    }
}
