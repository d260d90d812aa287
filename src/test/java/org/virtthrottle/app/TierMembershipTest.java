package org.virtthrottle.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.virtthrottle.app.PlanLines.applied;
import static org.virtthrottle.app.PlanLines.limits;
import static org.virtthrottle.model.LimitField.READ_IOPS_SEC;
import static org.virtthrottle.model.LimitField.SIZE_IOPS_SEC;
import static org.virtthrottle.model.LimitField.TOTAL_IOPS_SEC;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.virtthrottle.model.DomainThrottleConfig;
import org.virtthrottle.model.InvalidConfigException;
import org.virtthrottle.model.LimitsUpdate;
import org.virtthrottle.model.Side;
import org.virtthrottle.model.ThrottleGroup;
import org.virtthrottle.model.ThrottleLimits;
import org.virtthrottle.model.Tier;
import org.virtthrottle.xml.ThrottleConfigXml;

/** throttlegroupset --tier and reconcile of a member, against an in-memory domain. */
class TierMembershipTest {
    private static final GuestXml GUEST = GuestXml.with(GuestXml.Disk.virtio("vda"));
    private static final AffectedSides LIVE_AND_CONFIG = new AffectedSides(true, true, false);
    private static final AffectedSides CURRENT = new AffectedSides(false, false, false);
    private static final Tier GOLD = new Tier("gold", limits(TOTAL_IOPS_SEC, 3000));
    private static final Tiers HOST = name -> name.equals("gold") ? Optional.of(GOLD) : Optional.empty();

    private final InMemoryDomain domain = InMemoryDomain.running(GUEST.live(7), GUEST.config());

    private static DomainThrottleConfig group(ThrottleLimits limits) {
        return DomainThrottleConfig.EMPTY.withGroup(new ThrottleGroup("a", limits));
    }

    private static String limitsReply(long iopsTotal, long iopsSize) {
        return "{\"iops-total\":" + iopsTotal + ",\"iops-size\":" + iopsSize + ",\"bps-total\":0}";
    }

    @Test
    void aGroupThatJoinsIsRecordedAsAMemberOnBothSidesAndStartsAtItsFloorInQemu() {
        ThrottleLimits own = limits(TOTAL_IOPS_SEC, 1000, SIZE_IOPS_SEC, 4096);
        domain.recorded(Side.LIVE, group(own));
        domain.recorded(Side.CONFIG, group(own));
        domain.qmp().returnsFor("qom-get", "/objects/throttle-a", limitsReply(1000, 4096));
        DomainSession session = domain.session(HOST);

        SetThrottleGroup.plan(session, "a", LimitsUpdate.of(Map.of()), Optional.of("gold"), LIVE_AND_CONFIG)
                .apply(session);

        assertThat(domain.qmp().sent().get(1))
                .as("QEMU gets the floor for the rate the tier divides; the group's other limits stay")
                .contains("\"value\":{\"iops-total\":10}}");
        DomainThrottleConfig member = group(own).withTier("a", "gold");
        assertThat(ThrottleConfigXml.fromMetadata(domain.metadata(Side.LIVE))).isEqualTo(member);
        assertThat(ThrottleConfigXml.fromMetadata(domain.metadata(Side.CONFIG))).isEqualTo(member);
        assertThat(domain.metadata(Side.LIVE)).contains("<vt:tiers><vt:member group=\"a\" tier=\"gold\"/></vt:tiers>");
    }

    @Test
    void aMembersOwnLimitChangeKeepsItsShareInQemuAndALeaveGivesItsOwnLimitsBack() {
        ThrottleLimits own = limits(TOTAL_IOPS_SEC, 1000);
        domain.recorded(Side.LIVE, group(own).withTier("a", "gold"));
        domain.qmp().returnsFor("qom-get", "/objects/throttle-a", limitsReply(700, 0), limitsReply(700, 4096));
        DomainSession session = domain.session(HOST);

        SetThrottleGroup.plan(session, "a", LimitsUpdate.of(Map.of(SIZE_IOPS_SEC, 4096L)), Optional.empty(), CURRENT)
                .apply(session);
        assertThat(domain.qmp().sent().get(1))
                .as("the share (700) stays: it is the tier's to set")
                .contains("\"value\":{\"iops-size\":4096}}");

        DomainSession next = domain.session(HOST);
        SetThrottleGroup.plan(next, "a", LimitsUpdate.of(Map.of()), Optional.of(""), CURRENT)
                .apply(next);
        assertThat(domain.qmp().sent().get(3)).contains("\"value\":{\"iops-total\":1000}}");
        assertThat(ThrottleConfigXml.fromMetadata(domain.metadata(Side.LIVE)))
                .isEqualTo(group(limits(TOTAL_IOPS_SEC, 1000, SIZE_IOPS_SEC, 4096)));
    }

    @Test
    void badMembershipIsRefusedBeforeAnythingIsSent() {
        domain.recorded(Side.LIVE, group(limits(READ_IOPS_SEC, 100)));
        domain.qmp().returnsFor("qom-get", "/objects/throttle-a", "{\"iops-read\":100}");
        DomainSession session = domain.session(HOST);

        assertThatThrownBy(() ->
                        SetThrottleGroup.plan(session, "a", LimitsUpdate.of(Map.of()), Optional.of("silver"), CURRENT))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("tier 'silver' not found");
        assertThatThrownBy(() -> SetThrottleGroup.plan(
                                session, "a", LimitsUpdate.of(Map.of()), Optional.of("gold"), CURRENT)
                        .apply(session))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("throttle group 'a' sets read_iops_sec, but tier 'gold' divides");
        assertThat(domain.qmp().executed()).containsExactly("qom-get");
        assertThat(domain.calls()).isEmpty();
    }

    @Test
    void reconcileLeavesAMembersShareAloneAndCreatesALostMemberAtItsFloor() {
        domain.recorded(Side.LIVE, group(limits(TOTAL_IOPS_SEC, 1000)).withTier("a", "gold"));
        domain.qmp()
                .returnsFor("qom-list", "/objects", QemuReplies.objects("throttle-a"))
                .returnsFor("qom-get", "/objects/throttle-a", limitsReply(700, 0));
        QemuBlockGraph.answerReads(domain.qmp(), new QemuBlockGraph().disk(GuestXml.Disk.virtio("vda"), 1));

        Reconcile.Result shared = Reconcile.plan(domain.session(HOST));
        assertThat(shared.changes()).isEmpty();

        InMemoryDomain lost = InMemoryDomain.running(GUEST.live(8), GUEST.config());
        lost.recorded(Side.LIVE, group(limits(TOTAL_IOPS_SEC, 1000)).withTier("a", "gold"));
        lost.qmp().returnsFor("qom-list", "/objects", QemuReplies.objects());
        QemuBlockGraph.answerReads(lost.qmp(), new QemuBlockGraph().disk(GuestXml.Disk.virtio("vda"), 1));
        Reconcile.Result created = Reconcile.plan(lost.session(HOST));
        assertThat(created.changes()).containsExactly("created throttle group a (at its floor in tier gold)");
        assertThat(applied(created.plan()).get(0)).contains("\"limits\":{\"iops-total\":10}");
    }
}
