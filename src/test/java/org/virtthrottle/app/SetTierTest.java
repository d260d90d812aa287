package org.virtthrottle.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.virtthrottle.model.InvalidConfigException;
import org.virtthrottle.model.LimitField;
import org.virtthrottle.model.LimitsUpdate;
import org.virtthrottle.model.ThrottleLimits;
import org.virtthrottle.model.Tier;

/** {@link SetTier} and {@link DeleteTier}: the tiers file's new content. */
class SetTierTest {
    private static final Tier GOLD = new Tier(
            "gold", ThrottleLimits.of(Map.of(LimitField.TOTAL_IOPS_SEC, 3000L, LimitField.READ_BYTES_SEC, 100L)));
    private static final Tier SILVER = new Tier("silver", ThrottleLimits.of(Map.of(LimitField.TOTAL_IOPS_SEC, 300L)));

    private static LimitsUpdate update(LimitField field, long value) {
        return LimitsUpdate.of(Map.of(field, value));
    }

    @Test
    void aNewTierGoesLast() {
        SetTier.Result r = SetTier.plan(List.of(GOLD), "silver", update(LimitField.TOTAL_IOPS_SEC, 300));
        assertThat(r.tiers()).containsExactly(GOLD, SILVER);
        assertThat(r.added()).isTrue();
    }

    @Test
    void anExistingTierKeepsItsPlaceAndTheFamiliesNotGiven() {
        SetTier.Result r = SetTier.plan(List.of(GOLD, SILVER), "gold", update(LimitField.WRITE_IOPS_SEC, 10));
        Tier gold = new Tier(
                "gold", ThrottleLimits.of(Map.of(LimitField.WRITE_IOPS_SEC, 10L, LimitField.READ_BYTES_SEC, 100L)));
        assertThat(r.tiers()).containsExactly(gold, SILVER);
        assertThat(r.added()).isFalse();
    }

    @Test
    void refusesWhatWouldLeaveABadBudget() {
        assertThatThrownBy(() -> SetTier.plan(List.of(SILVER), "silver", update(LimitField.TOTAL_IOPS_SEC, 0)))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("tier 'silver' has no limit: give at least one rate");
        assertThatThrownBy(() -> SetTier.plan(List.of(), "new", LimitsUpdate.of(Map.of())))
                .hasMessage("tier 'new' has no limit: give at least one rate");
        assertThatThrownBy(() -> SetTier.plan(List.of(SILVER), "silver", LimitsUpdate.of(Map.of())))
                .hasMessage("no limit given: tier 'silver' is left as it is");
        assertThatThrownBy(() -> SetTier.plan(List.of(), "a b", update(LimitField.TOTAL_IOPS_SEC, 1)))
                .hasMessageStartingWith("invalid tier name 'a b'");
    }

    @Test
    void deleteRemovesOnlyThatTierAndRefusesAnUnknownOne() {
        var silverMember = new TierMembers.Member(
                "web", "g", "silver", true, ThrottleLimits.NONE, java.util.Optional.empty(), false);
        assertThat(DeleteTier.plan(List.of(GOLD, SILVER), "gold", List.of(silverMember)))
                .containsExactly(SILVER);
        assertThatThrownBy(() -> DeleteTier.plan(List.of(GOLD), "silver", List.of()))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("tier 'silver' not found");
    }

    @Test
    void deleteRefusesATierWithMembersNamingThem() {
        var member = new TierMembers.Member(
                "web", "g", "gold", false, ThrottleLimits.NONE, java.util.Optional.empty(), false);
        var other =
                new TierMembers.Member("db", "h", "gold", true, ThrottleLimits.NONE, java.util.Optional.empty(), false);
        assertThatThrownBy(() -> DeleteTier.plan(List.of(GOLD, SILVER), "gold", List.of(member, other)))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("tier 'gold' has 2 member group(s): web/g, db/h; make them leave first "
                        + "(throttlegroupset DOMAIN GROUP --tier '')");
    }
}
