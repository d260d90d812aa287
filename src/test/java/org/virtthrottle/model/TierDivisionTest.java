package org.virtthrottle.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtthrottle.model.TierDivision.Allocation;
import org.virtthrottle.model.TierDivision.Change;
import org.virtthrottle.model.TierDivision.Member;
import org.virtthrottle.model.TierDivision.Settings;

/** Worked examples of {@link TierDivision}; the generated cases are in TierDivisionPropertiesTest. */
class TierDivisionTest {
    private static final long BUDGET = 3000;
    private static final long FLOOR = 30;

    private static Member busy(String id, long current) {
        return new Member(id, 0, current, current);
    }

    private static List<Long> shares(TierDivision d) {
        return d.allocations().stream().map(Allocation::share).toList();
    }

    private static List<Long> limits(TierDivision d) {
        return d.allocations().stream().map(Allocation::limit).toList();
    }

    @Test
    void threeBackloggedMembersShareEqually() {
        TierDivision d = TierDivision.divide(3001, FLOOR, List.of(busy("a", 500), busy("b", 500), busy("c", 500)));

        assertThat(shares(d)).containsExactly(1001L, 1000L, 1000L);
        assertThat(d.allocations()).allSatisfy(a -> {
            assertThat(a.backlogged()).isTrue();
            assertThat(a.demand()).isEqualTo(TierDivision.UNBOUNDED);
        });
        assertThat(d.changes())
                .containsExactly(new Change("a", 500, 1001), new Change("b", 500, 1000), new Change("c", 500, 1000));
    }

    @Test
    void theBusyMembersShareWhatAnIdleOneLeaves() {
        TierDivision d = TierDivision.divide(
                BUDGET, FLOOR, List.of(busy("a", 1000), busy("b", 1000), new Member("idle", 0, 1000, 0)));

        // the idle member's demand: 0 x headroom + floor
        assertThat(d.allocations().get(2)).isEqualTo(new Allocation("idle", 30, false, 30, 30));
        assertThat(shares(d)).containsExactly(1485L, 1485L, 30L);
    }

    @Test
    void anUnsaturatedMemberGetsItsRateWithHeadroom() {
        // 400 of 1000 is under the saturation (0.9): demand 400 x 1.25 + 30
        TierDivision d = TierDivision.divide(
                BUDGET, FLOOR, List.of(busy("a", 1000), busy("b", 1000), new Member("c", 0, 1000, 400)));

        assertThat(d.allocations().get(2).demand()).isEqualTo(530);
        assertThat(shares(d)).containsExactly(1235L, 1235L, 530L);
    }

    @Test
    void aMemberWithALowerCapOfItsOwnLeavesTheRestToTheOthers() {
        TierDivision d = TierDivision.divide(
                BUDGET, FLOOR, List.of(busy("a", 1000), busy("b", 1000), new Member("capped", 200, 200, 200)));

        assertThat(d.allocations().get(2)).isEqualTo(new Allocation("capped", 200, true, 200, 200));
        assertThat(shares(d)).containsExactly(1400L, 1400L, 200L);
    }

    @Test
    void aCapBelowTheFloorIsTheShare() {
        TierDivision d = TierDivision.divide(BUDGET, FLOOR, List.of(busy("a", 1000), new Member("tiny", 10, 10, 0)));

        assertThat(shares(d)).containsExactly(2990L, 10L);
    }

    @Test
    void unusedBudgetIsSpreadOverMembersBelowTheirCaps() {
        // demands 155, 155 and the capped one's 500: 2190 left, spread evenly, the cap taken into account
        TierDivision d = TierDivision.divide(
                BUDGET,
                FLOOR,
                List.of(
                        new Member("a", 0, 1000, 100),
                        new Member("b", 0, 1000, 100),
                        new Member("capped", 500, 500, 500)));

        assertThat(shares(d)).containsExactly(1250L, 1250L, 500L);
    }

    @Test
    void withCapsBelowTheBudgetTheSharesAreTheCaps() {
        TierDivision d =
                TierDivision.divide(BUDGET, FLOOR, List.of(new Member("a", 700, 0, 0), new Member("b", 800, 0, 0)));

        assertThat(shares(d)).containsExactly(700L, 800L);
    }

    @Test
    void aNewUnlimitedMemberIsLoweredBeforeAnyoneIsRaised() {
        TierDivision d = TierDivision.divide(
                BUDGET, FLOOR, List.of(busy("a", 1000), new Member("b", 0, 2000, 100), new Member("new", 0, 0, 0)));

        assertThat(d.allocations().get(2).backlogged()).isFalse();
        assertThat(d.changes())
                .containsExactly(new Change("b", 2000, 155), new Change("new", 0, 30), new Change("a", 1000, 2815));
        assertThat(d.changes().get(1).isLower()).isTrue();
    }

    @Test
    void anUnlimitedMemberIsLimitedEvenWhenItsShareWouldBeWithinTheMargin() {
        TierDivision d = TierDivision.divide(BUDGET, FLOOR, List.of(new Member("a", 0, 0, 1e9)));

        assertThat(d.changes()).containsExactly(new Change("a", 0, 3000));
    }

    @Test
    void lowersComeBeforeRaises() {
        TierDivision d = TierDivision.divide(
                BUDGET,
                FLOOR,
                List.of(
                        busy("up1", 500),
                        new Member("down1", 0, 1500, 0),
                        busy("up2", 500),
                        new Member("down2", 0, 500, 0)));

        assertThat(d.changes()).extracting(Change::id).containsExactly("down1", "down2", "up1", "up2");
        assertThat(d.changes()).extracting(Change::isLower).containsExactly(true, true, false, false);
    }

    @Test
    void hysteresisSkipsATwoPercentChange() {
        // shares 1500 and 1500: 1470 is 2.0 % below, 1530 2.0 % above
        TierDivision d = TierDivision.divide(BUDGET, FLOOR, List.of(busy("a", 1470), busy("b", 1530)));

        assertThat(shares(d)).containsExactly(1500L, 1500L);
        assertThat(limits(d)).containsExactly(1470L, 1530L);
        assertThat(d.changes()).isEmpty();
    }

    @Test
    void hysteresisDoesNotSkipATenPercentChange() {
        TierDivision d = TierDivision.divide(BUDGET, FLOOR, List.of(busy("a", 1350), busy("b", 1650)));

        assertThat(d.changes()).containsExactly(new Change("b", 1650, 1500), new Change("a", 1350, 1500));
    }

    @Test
    void aLimitKeptAboveItsShareMakesARaiseSmaller() {
        // shares 1000 each; a keeps 1020 (2 %), so c gets 980 rather than 1000
        TierDivision d = TierDivision.divide(BUDGET, FLOOR, List.of(busy("a", 1020), busy("b", 1000), busy("c", 500)));

        assertThat(limits(d)).containsExactly(1020L, 1000L, 980L);
        assertThat(d.changes()).containsExactly(new Change("c", 500, 980));
    }

    @Test
    void aLimitAboveItsShareIsLoweredWhenNoRaiseCanMakeRoom() {
        // 1040 + 1040 + 960 = 3040: no raise to take from, so the first of the largest excesses goes down
        TierDivision d = TierDivision.divide(BUDGET, FLOOR, List.of(busy("a", 1040), busy("b", 1040), busy("c", 960)));

        assertThat(limits(d)).containsExactly(1000L, 1040L, 960L);
        assertThat(d.changes()).containsExactly(new Change("a", 1040, 1000));
    }

    @Test
    void aCurrentAboveTheCapIsAlwaysChanged() {
        TierDivision d =
                TierDivision.divide(BUDGET, FLOOR, List.of(new Member("a", 1000, 1020, 1020), busy("b", 2000)));

        assertThat(d.changes()).containsExactly(new Change("a", 1020, 1000));
    }

    @Test
    void noMembersNoChanges() {
        TierDivision d = TierDivision.divide(BUDGET, FLOOR, List.of());

        assertThat(d.allocations()).isEmpty();
        assertThat(d.changes()).isEmpty();
    }

    @Test
    void settingsChangeTheDemandEstimate() {
        Settings strict = new Settings(1.0, 1.5, 0);
        TierDivision d = TierDivision.divide(BUDGET, FLOOR, List.of(new Member("a", 0, 1000, 950)), strict);

        assertThat(d.allocations().get(0).backlogged()).isFalse();
        assertThat(d.allocations().get(0).demand()).isEqualTo(1455);
    }

    @Test
    void refusesWhatItCannotDivide() {
        assertThatThrownBy(() -> TierDivision.divide(
                        100, 40, List.of(new Member("a", 0, 0, 0), new Member("b", 0, 0, 0), new Member("c", 0, 0, 0))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 members times the floor 40");
        assertThatThrownBy(() -> TierDivision.divide(0, 1, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TierDivision.divide(100, 0, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () -> TierDivision.divide(100, 1, List.of(new Member("a", 0, 0, 0), new Member("a", 0, 0, 0))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duplicate");
        assertThatThrownBy(() -> new Member("a", 0, 0, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Member("a", -1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Settings(0, 1.25, 0.05)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Settings(0.9, 0.5, 0.05)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Settings(0.9, 1.25, 0.6)).isInstanceOf(IllegalArgumentException.class);
    }
}
