package org.virtthrottle.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.virtthrottle.model.LimitField.READ_BYTES_SEC;
import static org.virtthrottle.model.LimitField.READ_IOPS_SEC;
import static org.virtthrottle.model.LimitField.SIZE_IOPS_SEC;
import static org.virtthrottle.model.LimitField.TOTAL_BYTES_SEC;
import static org.virtthrottle.model.LimitField.TOTAL_IOPS_SEC;
import static org.virtthrottle.model.LimitField.TOTAL_IOPS_SEC_MAX;
import static org.virtthrottle.model.LimitField.WRITE_BYTES_SEC_MAX;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TierTest {
    private static final Tier GOLD =
            new Tier("gold", ThrottleLimits.of(Map.of(TOTAL_IOPS_SEC, 3000L, READ_BYTES_SEC, 100_000_000L)));

    @Test
    void aGroupThatJoinsGetsItsFloorForEachDividedRateAndKeepsItsOtherLimits() {
        ThrottleLimits own = ThrottleLimits.of(Map.of(SIZE_IOPS_SEC, 4096L, TOTAL_BYTES_SEC, 5_000_000L));
        assertThat(GOLD.memberLimits(own, ThrottleLimits.NONE))
                .isEqualTo(ThrottleLimits.of(Map.of(
                        SIZE_IOPS_SEC,
                        4096L,
                        TOTAL_BYTES_SEC,
                        5_000_000L,
                        TOTAL_IOPS_SEC,
                        Tier.IOPS_FLOOR,
                        READ_BYTES_SEC,
                        Tier.BYTES_FLOOR)));
    }

    @Test
    void aMembersShareInQemuIsKeptWithinItsOwnLimitAndNotRepairedBack() {
        ThrottleLimits own = ThrottleLimits.of(Map.of(TOTAL_IOPS_SEC, 1000L));
        ThrottleLimits live = ThrottleLimits.of(Map.of(TOTAL_IOPS_SEC, 700L, READ_BYTES_SEC, 50_000_000L));
        assertThat(GOLD.memberLimits(own, live)).isEqualTo(live);
        ThrottleLimits above = ThrottleLimits.of(Map.of(TOTAL_IOPS_SEC, 1500L, READ_BYTES_SEC, 50_000_000L));
        assertThat(GOLD.memberLimits(own, above).get(TOTAL_IOPS_SEC))
                .as("a share above the group's own (lowered) limit: the limit")
                .isEqualTo(1000);
        assertThat(Tier.floor(TOTAL_IOPS_SEC, 4))
                .as("an own limit below the floor")
                .isEqualTo(4);
    }

    @Test
    void aGroupWhoseOwnLimitsQemuCouldNotTakeWithTheSharesCannotJoin() {
        assertThatThrownBy(() -> GOLD.checkMember("g", ThrottleLimits.of(Map.of(READ_IOPS_SEC, 100L))))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("throttle group 'g' sets read_iops_sec, but tier 'gold' divides total_iops_sec: "
                        + "total and read/write of iops_sec cannot be set at the same time");
        assertThatThrownBy(() -> GOLD.checkMember(
                        "g", ThrottleLimits.of(Map.of(TOTAL_IOPS_SEC, 100L, TOTAL_IOPS_SEC_MAX, 500L))))
                .hasMessage("throttle group 'g' sets total_iops_sec_max: a member of tier 'gold' cannot burst "
                        + "above its share of total_iops_sec");
        GOLD.checkMember("g", ThrottleLimits.of(Map.of(TOTAL_IOPS_SEC, 100L, WRITE_BYTES_SEC_MAX, 1L << 30)));
    }

    @Test
    void aBudgetMustGiveEveryMemberItsFloor() {
        GOLD.checkFloors(95);
        assertThatThrownBy(() -> GOLD.checkFloors(96))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("tier 'gold': read_bytes_sec=100000000 is below what its 96 member group(s) need at "
                        + "least (96 x 1048576 = 100663296)");
        Tier iops = new Tier("iops", ThrottleLimits.of(Map.of(TOTAL_IOPS_SEC, 3000L)));
        iops.checkFloors(300);
        assertThatThrownBy(() -> iops.checkFloors(301))
                .hasMessage("tier 'iops': total_iops_sec=3000 is below what its 301 member group(s) need at least "
                        + "(301 x 10 = 3010)");
    }
}
