package org.virtthrottle.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.virtthrottle.app.PlanLines.limits;
import static org.virtthrottle.model.LimitField.READ_IOPS_SEC;
import static org.virtthrottle.model.LimitField.SIZE_IOPS_SEC;
import static org.virtthrottle.model.LimitField.TOTAL_IOPS_SEC;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.virtthrottle.model.DomainThrottleConfig;
import org.virtthrottle.model.InvalidConfigException;
import org.virtthrottle.model.LimitField;
import org.virtthrottle.model.LimitsUpdate;
import org.virtthrottle.model.Side;
import org.virtthrottle.model.ThrottleGroup;
import org.virtthrottle.model.ThrottleLimits;
import org.virtthrottle.model.Tier;
import org.virtthrottle.xml.DomainXml;
import org.virtthrottle.xml.ThrottleConfigXml;

/**
 * throttlegroupset --tier on libvirt 11.2+ (libvirt's own throttle groups), against an in-memory
 * domain: membership (and a live member's own limits) in our metadata, the share through libvirt's API.
 */
class NativeTierMembershipTest {
    private static final GuestXml GUEST = GuestXml.with(GuestXml.Disk.virtio("vda"));
    private static final AffectedSides LIVE_AND_CONFIG = new AffectedSides(true, true, false);
    private static final AffectedSides CURRENT = new AffectedSides(false, false, false);
    private static final Tier GOLD = new Tier("gold", limits(TOTAL_IOPS_SEC, 3000));
    private static final Tiers HOST = name -> name.equals("gold") ? Optional.of(GOLD) : Optional.empty();
    private static final ThrottleLimits OWN = limits(TOTAL_IOPS_SEC, 1000, SIZE_IOPS_SEC, 4096);

    private final InMemoryDomain domain = InMemoryDomain.running(GUEST.live(7), GUEST.config())
            .nativeGroup(Side.LIVE, "a", params(OWN))
            .nativeGroup(Side.CONFIG, "a", params(OWN));

    /** virDomainSetThrottleGroup's parameters for these limits: every limit, zeros too. */
    private static Map<String, Long> params(ThrottleLimits limits) {
        Map<String, Long> params = new LinkedHashMap<>();
        for (LimitField f : LimitField.values()) {
            params.put(f.xmlName(), limits.get(f));
        }
        return params;
    }

    private static String setCall(ThrottleLimits limits) {
        return "setThrottleGroup a " + params(limits);
    }

    private void join(AffectedSides sides) {
        DomainSession session = domain.nativeSession(HOST);
        SetThrottleGroup.plan(session, "a", LimitsUpdate.of(Map.of()), Optional.of("gold"), sides)
                .apply(session);
    }

    @Test
    void aGroupThatJoinsIsRecordedWithItsOwnLimitsLiveAndGetsItsFloorThroughLibvirt() {
        join(LIVE_AND_CONFIG);

        List<InMemoryDomain.Call> calls = domain.calls();
        assertThat(calls)
                .extracting(InMemoryDomain.Call::operation)
                .as("live: the record (with the own limits) before the share; the config's limits are its own")
                .containsExactly(
                        "setThrottleMetadata",
                        setCall(limits(TOTAL_IOPS_SEC, 10, SIZE_IOPS_SEC, 4096)),
                        "setThrottleMetadata");
        assertThat(calls.get(1).side()).isEqualTo(Side.LIVE);
        assertThat(domain.qmp().sent()).as("no QMP passthrough").isEmpty();

        DomainThrottleConfig live = ThrottleConfigXml.fromMetadata(domain.metadata(Side.LIVE));
        assertThat(live.groups()).as("groups stay in libvirt's own XML").isEmpty();
        assertThat(live.chains()).isEmpty();
        assertThat(live.tiers()).isEqualTo(Map.of("a", "gold"));
        assertThat(live.ownLimits()).isEqualTo(Map.of("a", OWN));
        assertThat(domain.metadata(Side.LIVE))
                .contains("<vt:member group=\"a\" tier=\"gold\"><vt:own><vt:total_iops_sec>1000</vt:total_iops_sec>");
        DomainThrottleConfig config = ThrottleConfigXml.fromMetadata(domain.metadata(Side.CONFIG));
        assertThat(config).isEqualTo(DomainThrottleConfig.EMPTY.withTier("a", "gold"));

        DomainSession session = domain.nativeSession(HOST);
        assertThat(session.config(Side.LIVE).group("a"))
                .contains(new ThrottleGroup("a", limits(TOTAL_IOPS_SEC, 10, SIZE_IOPS_SEC, 4096)));
        assertThat(session.config(Side.LIVE).tiers()).isEqualTo(Map.of("a", "gold"));
        assertThat(session.ownLimits(Side.LIVE, "a")).contains(OWN);
        assertThat(session.ownLimits(Side.CONFIG, "a")).contains(OWN);
        assertThat(TierMembers.of(session, true))
                .containsExactly(new TierMembers.Member(
                        "web",
                        "a",
                        "gold",
                        true,
                        OWN,
                        Optional.of(limits(TOTAL_IOPS_SEC, 10, SIZE_IOPS_SEC, 4096)),
                        true));
    }

    @Test
    void aMembersOwnLimitChangeKeepsItsShareAndALeaveGivesLibvirtItsOwnLimitsBackBeforeTheRecordGoes() {
        join(CURRENT);
        // watch gave it a share of 700
        domain.nativeGroup(Side.LIVE, "a", params(limits(TOTAL_IOPS_SEC, 700, SIZE_IOPS_SEC, 4096)));

        DomainSession session = domain.nativeSession(HOST);
        SetThrottleGroup.plan(session, "a", LimitsUpdate.of(Map.of(TOTAL_IOPS_SEC, 500L)), Optional.empty(), CURRENT)
                .apply(session);
        assertThat(domain.calls().get(3).operation())
                .as("the share is capped by the new own limit")
                .isEqualTo(setCall(limits(TOTAL_IOPS_SEC, 500, SIZE_IOPS_SEC, 4096)));
        assertThat(ThrottleConfigXml.fromMetadata(domain.metadata(Side.LIVE)).ownLimits("a"))
                .contains(limits(TOTAL_IOPS_SEC, 500, SIZE_IOPS_SEC, 4096));

        // watch lowered it to 300
        domain.nativeGroup(Side.LIVE, "a", params(limits(TOTAL_IOPS_SEC, 300, SIZE_IOPS_SEC, 4096)));
        int before = domain.calls().size();
        DomainSession next = domain.nativeSession(HOST);
        SetThrottleGroup.plan(next, "a", LimitsUpdate.of(Map.of()), Optional.of(""), CURRENT)
                .apply(next);
        assertThat(domain.calls().subList(before, domain.calls().size()))
                .extracting(InMemoryDomain.Call::operation)
                .containsExactly(setCall(limits(TOTAL_IOPS_SEC, 500, SIZE_IOPS_SEC, 4096)), "setThrottleMetadata");
        assertThat(domain.metadata(Side.LIVE))
                .as("nothing of ours is left live")
                .isNull();
        assertThat(domain.nativeSession(HOST).config(Side.LIVE).group("a"))
                .contains(new ThrottleGroup("a", limits(TOTAL_IOPS_SEC, 500, SIZE_IOPS_SEC, 4096)));
    }

    @Test
    void aGroupWhoseLimitsClashWithTheTierIsRefusedBeforeAnythingIsChanged() {
        domain.nativeGroup(Side.LIVE, "a", params(limits(READ_IOPS_SEC, 100)));
        DomainSession session = domain.nativeSession(HOST);

        assertThatThrownBy(() -> SetThrottleGroup.plan(
                        session, "a", LimitsUpdate.of(Map.of()), Optional.of("gold"), LIVE_AND_CONFIG))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("sets read_iops_sec, but tier 'gold' divides total_iops_sec");
        assertThatThrownBy(() -> SetThrottleGroup.plan(
                        session, "a", LimitsUpdate.of(Map.of()), Optional.of("silver"), LIVE_AND_CONFIG))
                .hasMessage("tier 'silver' not found");
        assertThat(domain.calls()).isEmpty();
    }

    @Test
    void aDeletedMemberLeavesItsTier() {
        join(LIVE_AND_CONFIG);
        DomainSession session = domain.nativeSession(HOST);

        DeleteThrottleGroup.plan(session, "a", LIVE_AND_CONFIG).apply(session);

        assertThat(domain.metadata(Side.LIVE)).isNull();
        assertThat(domain.metadata(Side.CONFIG)).isNull();
    }

    @Test
    void aGroupOfNoTierIsSetAsBeforeAndNothingIsRecorded() {
        DomainSession session = domain.nativeSession(HOST);
        SetThrottleGroup.plan(session, "a", LimitsUpdate.of(Map.of(TOTAL_IOPS_SEC, 2000L)), CURRENT)
                .apply(session);

        assertThat(domain.calls())
                .extracting(InMemoryDomain.Call::operation)
                .containsExactly(setCall(limits(TOTAL_IOPS_SEC, 2000, SIZE_IOPS_SEC, 4096)));
        assertThat(domain.metadata(Side.LIVE)).isNull();
    }

    @Test
    void exportShowsAMembersOwnLimitsAndAFileNamingItWithoutATierMakesItLeaveAfterItsOwnLimitsAreBack() {
        join(CURRENT);
        domain.nativeGroup(Side.LIVE, "a", params(limits(TOTAL_IOPS_SEC, 700, SIZE_IOPS_SEC, 4096)));
        DomainSession session = domain.nativeSession(HOST);
        assertThat(ExportState.read(session, false).group("a")).contains(new ThrottleGroup("a", OWN));

        int before = domain.calls().size();
        var state = org.virtthrottle.state.StateFile.parse(
                        "web.yaml",
                        "domains:\n  web:\n    groups:\n      a:\n        total_iops_sec: 500\n"
                                + "        size_iops_sec: 4096\n")
                .get(0);
        Reconcile.Result result = ApplyState.plan(session, state, CURRENT, false);
        result.apply(session);

        assertThat(result.changes())
                .containsExactly("live: set limits of throttle group a", "live: throttle group a left tier gold");
        assertThat(domain.calls().subList(before, domain.calls().size()))
                .extracting(InMemoryDomain.Call::operation)
                .as("libvirt gets the file's limits before the membership (with the own limits) goes")
                .containsExactly(setCall(limits(TOTAL_IOPS_SEC, 500, SIZE_IOPS_SEC, 4096)), "setThrottleMetadata");
        assertThat(domain.metadata(Side.LIVE)).isNull();

        DomainSession again = domain.nativeSession(HOST);
        assertThat(ApplyState.plan(again, state, CURRENT, false).plan().isEmpty())
                .as("applied: nothing left to do")
                .isTrue();
    }

    @Test
    void aFileGroupWithATierJoinsRecordedBeforeItsFloorGoesToLibvirt() {
        var state = org.virtthrottle.state.StateFile.parse(
                        "web.yaml",
                        "domains:\n  web:\n    groups:\n      a: {tier: gold, total_iops_sec: 1000, size_iops_sec: 4096}\n")
                .get(0);
        DomainSession session = domain.nativeSession(HOST);
        assertThat(ApplyState.membersAfter(session, state, CURRENT, false)).isEqualTo(Map.of("a", "gold"));

        Reconcile.Result result = ApplyState.plan(session, state, CURRENT, false);
        result.apply(session);

        assertThat(result.changes()).containsExactly("live: throttle group a joined tier gold");
        assertThat(domain.calls())
                .extracting(InMemoryDomain.Call::operation)
                .containsExactly("setThrottleMetadata", setCall(limits(TOTAL_IOPS_SEC, 10, SIZE_IOPS_SEC, 4096)));
        DomainThrottleConfig live = ThrottleConfigXml.fromMetadata(domain.metadata(Side.LIVE));
        assertThat(live.tiers()).isEqualTo(Map.of("a", "gold"));
        assertThat(live.ownLimits()).isEqualTo(Map.of("a", OWN));
        assertThat(ExportState.read(domain.nativeSession(HOST), false).group("a"))
                .contains(new ThrottleGroup("a", OWN));
        DomainSession again = domain.nativeSession(HOST);
        assertThat(ApplyState.plan(again, state, CURRENT, false).plan().isEmpty())
                .as("export and apply agree: nothing left to do")
                .isTrue();
    }

    @Test
    void applyChangesAMemberGroupItDoesNotNameOnlyWhenPruning() {
        join(CURRENT);
        domain.nativeGroup(Side.LIVE, "a", params(limits(TOTAL_IOPS_SEC, 700, SIZE_IOPS_SEC, 4096)));
        var state = org.virtthrottle.state.StateFile.parse(
                        "web.yaml", "domains:\n  web:\n    groups:\n      b:\n        total_iops_sec: 5\n")
                .get(0);
        int before = domain.calls().size();

        DomainSession session = domain.nativeSession(HOST);
        ApplyState.plan(session, state, CURRENT, false).apply(session);
        assertThat(domain.calls().subList(before, domain.calls().size()))
                .extracting(InMemoryDomain.Call::operation)
                .as("the member's share and record stay")
                .containsExactly("setThrottleGroup b " + params(limits(TOTAL_IOPS_SEC, 5)));
        assertThat(ThrottleConfigXml.fromMetadata(domain.metadata(Side.LIVE)).ownLimits("a"))
                .contains(OWN);

        DomainSession pruning = domain.nativeSession(HOST);
        ApplyState.plan(pruning, state, CURRENT, true).apply(pruning);
        assertThat(domain.metadata(Side.LIVE))
                .as("a pruned member leaves its tier")
                .isNull();
        assertThat(domain.calls().get(domain.calls().size() - 1).operation()).isEqualTo("deleteThrottleGroup a");
    }

    @Test
    void reconcileLeavesANativeMembersShareAloneAndReportsNoDrift() {
        join(CURRENT);
        domain.nativeGroup(Side.LIVE, "a", params(limits(TOTAL_IOPS_SEC, 700, SIZE_IOPS_SEC, 4096)));
        domain.qmp()
                .returnsFor(
                        "qom-get",
                        "/objects/throttle-a",
                        QemuReplies.limits(limits(TOTAL_IOPS_SEC, 700, SIZE_IOPS_SEC, 4096)));
        QemuBlockGraph.answerReads(domain.qmp(), new QemuBlockGraph().disk(GuestXml.Disk.virtio("vda"), 1));
        int before = domain.calls().size();
        DomainSession session = domain.nativeSession(HOST);

        Reconcile.Result result = Reconcile.plan(session);
        result.apply(session);

        assertThat(result.changes()).isEmpty();
        assertThat(result.drift())
                .as("the share in QEMU is libvirt's live limit")
                .isEmpty();
        assertThat(result.plan().isEmpty()).isTrue();
        assertThat(domain.calls()).hasSize(before);
        assertThat(session.config(Side.LIVE).tiers()).as("what reconcile names").isEqualTo(Map.of("a", "gold"));
    }

    @Test
    void migrateConfigKeepsTierMembershipInOurMetadataAndOnlyGroupsOrChainsAskForIt() {
        String config = InMemoryDomain.shutOff(GUEST.config())
                .recorded(Side.CONFIG, DomainThrottleConfig.EMPTY.withTier("a", "gold"))
                .xml(Side.CONFIG);
        DomainXml membersOnly = DomainXml.parse(config);
        assertThat(membersOnly.hasThrottleMetadata()).isTrue();
        assertThat(membersOnly.hasPreNativeMetadata()).isFalse();

        String old = InMemoryDomain.shutOff(GUEST.config())
                .recorded(
                        Side.CONFIG,
                        DomainThrottleConfig.EMPTY
                                .withGroup(new ThrottleGroup("a", OWN))
                                .withTier("a", "gold"))
                .xml(Side.CONFIG);
        DomainXml before = DomainXml.parse(old);
        assertThat(before.hasPreNativeMetadata()).isTrue();
        DomainXml after = DomainXml.parse(before.withNativeThrottleConfig(before.metadataThrottleConfig()));
        assertThat(after.hasPreNativeMetadata()).isFalse();
        assertThat(after.metadataThrottleConfig()).isEqualTo(DomainThrottleConfig.EMPTY.withTier("a", "gold"));
        assertThat(after.nativeThrottleConfig().groups()).containsExactly(new ThrottleGroup("a", OWN));
    }
}
