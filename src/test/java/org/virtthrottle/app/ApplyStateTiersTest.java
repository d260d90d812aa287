package org.virtthrottle.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.virtthrottle.app.PlanLines.limits;
import static org.virtthrottle.model.LimitField.READ_IOPS_SEC;
import static org.virtthrottle.model.LimitField.TOTAL_IOPS_SEC;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.virtthrottle.VirtThrottleException;
import org.virtthrottle.app.GuestXml.Disk;
import org.virtthrottle.model.DomainThrottleConfig;
import org.virtthrottle.model.FilterChain;
import org.virtthrottle.model.Side;
import org.virtthrottle.model.ThrottleGroup;
import org.virtthrottle.model.ThrottleLimits;
import org.virtthrottle.model.Tier;
import org.virtthrottle.state.DesiredState;
import org.virtthrottle.state.DomainState;
import org.virtthrottle.state.StateFile;
import org.virtthrottle.xml.ThrottleConfigXml;

/** apply -f with tiers: membership as throttlegroupset --tier makes it, and the tiers file's new content. */
class ApplyStateTiersTest {
    private static final Disk VDA = Disk.virtio("vda");
    private static final GuestXml GUEST = GuestXml.with(VDA);
    private static final AffectedSides BOTH = new AffectedSides(false, false, false, true);
    private static final Tier GOLD = new Tier("gold", limits(TOTAL_IOPS_SEC, 3000));
    private static final Tiers HOST = name -> name.equals("gold") ? Optional.of(GOLD) : Optional.empty();
    private static final String MEMBER =
            """
            domains:
              web:
                groups:
                  a:
                    tier: gold
                    total_iops_sec: 2000
                disks:
                  vda: [a]
            """;
    private static final DomainThrottleConfig OWN = DomainThrottleConfig.EMPTY
            .withGroup(new ThrottleGroup("a", limits(TOTAL_IOPS_SEC, 2000)))
            .withChain("vda", FilterChain.of("a"));

    private final InMemoryDomain domain = InMemoryDomain.running(GUEST.live(7), GUEST.config());

    private static DomainState web(String text) {
        return StateFile.parse("web.yaml", text).get(0);
    }

    /** QEMU has group a with these limits, on vda. */
    private void qemuHasA(long iopsTotal) {
        domain.qmp()
                .returnsFor("qom-list", "/objects", QemuReplies.objects("throttle-a"))
                .returnsFor("qom-get", "/objects/throttle-a", QemuReplies.limits(limits(TOTAL_IOPS_SEC, iopsTotal)));
        QemuBlockGraph.answerReads(
                domain.qmp(),
                new QemuBlockGraph()
                        .disk(VDA, 1)
                        .throttle("vtf-vda-0", "a", "libvirt-1-format")
                        .device(VDA.qdev(), "vtf-vda-0"));
    }

    @Test
    void aGroupThatJoinsStartsAtItsFloorInQemuIsRecordedOnBothSidesAndASecondApplyChangesNothing() {
        domain.recorded(Side.LIVE, OWN).recorded(Side.CONFIG, OWN);
        qemuHasA(2000);
        DomainSession session = domain.session(HOST);

        Reconcile.Result joined = ApplyState.plan(session, web(MEMBER), BOTH, false);
        session.apply(joined.plan());

        assertThat(joined.changes())
                .containsExactly(
                        "live: set limits of throttle group a (at its floor in tier gold)",
                        "live: throttle group a joined tier gold",
                        "config: throttle group a joined tier gold");
        assertThat(domain.qmp().sent())
                .anySatisfy(sent -> assertThat(sent).contains("qom-set").contains("\"iops-total\":10"));
        DomainThrottleConfig member = OWN.withTier("a", "gold");
        assertThat(ThrottleConfigXml.fromMetadata(domain.metadata(Side.LIVE))).isEqualTo(member);
        assertThat(ThrottleConfigXml.fromMetadata(domain.metadata(Side.CONFIG))).isEqualTo(member);

        // watch has given it a share since: it stays
        qemuHasA(1400);
        Reconcile.Result again = ApplyState.plan(domain.session(HOST), web(MEMBER), BOTH, false);
        assertThat(again.inSync()).as(again.changes().toString()).isTrue();
        assertThat(ApplyState.membersAfter(domain.session(HOST), web(MEMBER), BOTH, false))
                .containsExactly(Map.entry("a", "gold"));
    }

    @Test
    void aGroupTheFileNamesWithoutItsTierLeavesItAndGetsItsOwnLimitsBack() {
        domain.recorded(Side.LIVE, OWN.withTier("a", "gold")).recorded(Side.CONFIG, OWN.withTier("a", "gold"));
        qemuHasA(700);
        DomainSession session = domain.session(HOST);

        Reconcile.Result left = ApplyState.plan(session, web(MEMBER.replace("tier: gold", "tier: ''")), BOTH, false);
        session.apply(left.plan());

        assertThat(left.changes())
                .containsExactly(
                        "live: set limits of throttle group a",
                        "live: throttle group a left tier gold",
                        "config: throttle group a left tier gold");
        assertThat(domain.qmp().sent())
                .anySatisfy(sent -> assertThat(sent).contains("qom-set").contains("\"iops-total\":2000"));
        assertThat(ThrottleConfigXml.fromMetadata(domain.metadata(Side.CONFIG))).isEqualTo(OWN);
    }

    @Test
    void anUnknownTierOrLimitsThatCannotStandBesideAShareAreRefusedNamingTheLineBeforeAnythingChanges() {
        domain.recorded(Side.LIVE, OWN).recorded(Side.CONFIG, OWN);
        qemuHasA(2000);

        assertThatThrownBy(() -> ApplyState.plan(
                        domain.session(HOST), web(MEMBER.replace("tier: gold", "tier: silver")), BOTH, false))
                .isInstanceOf(VirtThrottleException.class)
                .hasMessage("web.yaml line 4: domains.web.groups.a: tier 'silver' not found (neither the file's"
                        + " tiers: nor the host's tiers file has it)");
        assertThatThrownBy(() -> ApplyState.plan(
                        domain.session(HOST),
                        web(MEMBER.replace("total_iops_sec: 2000", "read_iops_sec: 2000")),
                        BOTH,
                        false))
                .hasMessage("web.yaml line 4: domains.web.groups.a: throttle group 'a' sets read_iops_sec, but tier"
                        + " 'gold' divides total_iops_sec: total and read/write of iops_sec cannot be set at the same"
                        + " time");
        assertThat(domain.calls()).isEmpty();
        assertThat(domain.qmp().executed()).doesNotContain("object-add", "blockdev-add", "qom-set");
    }

    @Test
    void aShutOffDomainsMembershipIsRecordedInItsConfig() {
        InMemoryDomain off = InMemoryDomain.shutOff(GUEST.config());
        DomainSession session = off.session(HOST);

        Reconcile.Result result = ApplyState.plan(session, web(MEMBER), BOTH, false);
        session.apply(result.plan());

        assertThat(result.changes())
                .containsExactly(
                        "config: created throttle group a",
                        "config: throttle group a joined tier gold",
                        "config: set the throttle filters of vda to a");
        assertThat(ThrottleConfigXml.fromMetadata(off.metadata(Side.CONFIG))).isEqualTo(OWN.withTier("a", "gold"));
        assertThat(off.qmp().sent()).isEmpty();
    }

    @Test
    void theFilesTiersAreAddedOrReplacedOthersStayAndAnUnchangedBudgetIsNoChange() {
        Tier silver = new Tier("silver", limits(TOTAL_IOPS_SEC, 300));
        DesiredState file = StateFile.parseAll(
                "web.yaml",
                """
                tiers:
                  gold: {read_iops_sec: 500}
                  bronze: {total_iops_sec: 30}
                domains: {}
                """);

        ApplyTiers.Result result = ApplyTiers.plan(List.of(silver, GOLD), file);

        assertThat(result.after())
                .containsExactly(
                        silver,
                        new Tier("gold", limits(READ_IOPS_SEC, 500)),
                        new Tier("bronze", limits(TOTAL_IOPS_SEC, 30)));
        assertThat(result.changes())
                .containsExactly(
                        "set the budget of tier gold to read_iops_sec=500 (was total_iops_sec=3000)",
                        "added tier bronze: total_iops_sec=30");
        assertThat(result.find("bronze")).isPresent();
        assertThat(ApplyTiers.plan(result.after(), file).changed()).isFalse();
    }

    @Test
    void aBudgetBelowItsMembersFloorsIsRefusedNamingItsLineCountingTheOtherDomainsMembers() {
        DesiredState file = StateFile.parseAll(
                "web.yaml",
                """
                tiers:
                  bronze: {total_iops_sec: 30}
                domains:
                  web:
                    groups:
                      a: {tier: bronze}
                """);
        ApplyTiers.Result tiers = ApplyTiers.plan(List.of(), file);
        TierMembers.Member other =
                new TierMembers.Member("db", "g", "bronze", true, ThrottleLimits.NONE, Optional.empty(), false);
        TierMembers.Member again =
                new TierMembers.Member("web", "old", "bronze", true, ThrottleLimits.NONE, Optional.empty(), false);

        ApplyTiers.checkFloors(tiers, file, Map.of("web", Map.of("a", "bronze")), List.of(other, other, again));
        assertThatThrownBy(() -> ApplyTiers.checkFloors(
                        tiers, file, Map.of("web", Map.of("a", "bronze")), List.of(other, other, other)))
                .isInstanceOf(VirtThrottleException.class)
                .hasMessage("web.yaml line 2: tiers.bronze: tier 'bronze': total_iops_sec=30 is below what its 4"
                        + " member group(s) need at least (4 x 10 = 40)");
    }
}
