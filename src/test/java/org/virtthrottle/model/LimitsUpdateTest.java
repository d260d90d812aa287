package org.virtthrottle.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.virtthrottle.model.LimitField.READ_BYTES_SEC;
import static org.virtthrottle.model.LimitField.READ_IOPS_SEC;
import static org.virtthrottle.model.LimitField.TOTAL_BYTES_SEC;
import static org.virtthrottle.model.LimitField.TOTAL_BYTES_SEC_MAX;
import static org.virtthrottle.model.LimitField.TOTAL_BYTES_SEC_MAX_LENGTH;
import static org.virtthrottle.model.LimitField.TOTAL_IOPS_SEC;
import static org.virtthrottle.model.LimitField.TOTAL_IOPS_SEC_MAX;
import static org.virtthrottle.model.LimitField.TOTAL_IOPS_SEC_MAX_LENGTH;
import static org.virtthrottle.model.LimitField.WRITE_BYTES_SEC;
import static org.virtthrottle.model.LimitField.WRITE_IOPS_SEC;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LimitsUpdateTest {

    private static ThrottleLimits limits(Map<LimitField, Long> values) {
        return ThrottleLimits.of(values);
    }

    @Test
    void givenFieldReplacesItsWholeFamilyAndLeavesOtherFamiliesAlone() {
        ThrottleLimits current = limits(Map.of(READ_IOPS_SEC, 300L, WRITE_IOPS_SEC, 200L, TOTAL_BYTES_SEC, 1_000_000L));

        ThrottleLimits merged = LimitsUpdate.of(Map.of(WRITE_IOPS_SEC, 250L)).applyTo(current);

        // read_iops_sec belongs to the replaced family, so it becomes 0; bytes are untouched
        assertThat(merged.nonZero()).containsOnly(entry(WRITE_IOPS_SEC, 250L), entry(TOTAL_BYTES_SEC, 1_000_000L));
    }

    @Test
    void readValueSwitchesAFamilyFromTotalToReadWrite() {
        ThrottleLimits current = limits(Map.of(TOTAL_BYTES_SEC, 10_000_000L, TOTAL_IOPS_SEC, 500L));

        ThrottleLimits merged =
                LimitsUpdate.of(Map.of(READ_BYTES_SEC, 5_000_000L)).applyTo(current);

        assertThat(merged.nonZero()).containsOnly(entry(READ_BYTES_SEC, 5_000_000L), entry(TOTAL_IOPS_SEC, 500L));
    }

    @Test
    void totalValueSwitchesAFamilyFromReadWriteToTotal() {
        ThrottleLimits current = limits(Map.of(READ_BYTES_SEC, 5_000_000L, WRITE_BYTES_SEC, 2_000_000L));

        ThrottleLimits merged =
                LimitsUpdate.of(Map.of(TOTAL_BYTES_SEC, 8_000_000L)).applyTo(current);

        assertThat(merged.nonZero()).containsOnly(entry(TOTAL_BYTES_SEC, 8_000_000L));
    }

    @Test
    void explicitZeroClearsTheField() {
        ThrottleLimits current = limits(Map.of(TOTAL_IOPS_SEC, 500L, TOTAL_BYTES_SEC, 1_000_000L));

        ThrottleLimits merged = LimitsUpdate.of(Map.of(TOTAL_IOPS_SEC, 0L)).applyTo(current);

        assertThat(merged.nonZero()).containsOnly(entry(TOTAL_BYTES_SEC, 1_000_000L));
    }

    @Test
    void emptyUpdateKeepsEveryCurrentValue() {
        ThrottleLimits current =
                limits(Map.of(TOTAL_BYTES_SEC, 100L, TOTAL_BYTES_SEC_MAX, 200L, TOTAL_BYTES_SEC_MAX_LENGTH, 5L));

        LimitsUpdate update = LimitsUpdate.of(Map.of());

        assertThat(update.isEmpty()).isTrue();
        assertThat(update.applyTo(current)).isEqualTo(current);
    }

    @Test
    void oldMaxLengthIsDroppedWhenItsMaxIsCleared() {
        ThrottleLimits current =
                limits(Map.of(TOTAL_BYTES_SEC, 100L, TOTAL_BYTES_SEC_MAX, 200L, TOTAL_BYTES_SEC_MAX_LENGTH, 5L));

        ThrottleLimits merged = LimitsUpdate.of(Map.of(TOTAL_BYTES_SEC_MAX, 0L)).applyTo(current);

        assertThat(merged.nonZero()).containsOnly(entry(TOTAL_BYTES_SEC, 100L));
    }

    @Test
    void oldMaxLengthIsKeptWhileItsMaxStaysSet() {
        ThrottleLimits current =
                limits(Map.of(TOTAL_BYTES_SEC, 100L, TOTAL_BYTES_SEC_MAX, 200L, TOTAL_BYTES_SEC_MAX_LENGTH, 5L));

        ThrottleLimits merged =
                LimitsUpdate.of(Map.of(TOTAL_BYTES_SEC_MAX, 300L)).applyTo(current);

        assertThat(merged.nonZero())
                .containsOnly(
                        entry(TOTAL_BYTES_SEC, 100L),
                        entry(TOTAL_BYTES_SEC_MAX, 300L),
                        entry(TOTAL_BYTES_SEC_MAX_LENGTH, 5L));
    }

    @Test
    void givenMaxLengthWithoutAnyMaxIsRejectedByValidation() {
        ThrottleLimits current = limits(Map.of(TOTAL_IOPS_SEC, 100L));
        LimitsUpdate update = LimitsUpdate.of(Map.of(TOTAL_IOPS_SEC_MAX_LENGTH, 10L));

        assertThatThrownBy(() -> update.applyTo(current))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("value 'total_iops_sec_max_length' requires 'total_iops_sec_max' to be set");
    }

    @Test
    void mergedResultIsValidatedAsAWhole() {
        ThrottleLimits current = limits(Map.of(TOTAL_IOPS_SEC, 100L, TOTAL_IOPS_SEC_MAX, 400L));
        LimitsUpdate clearAverage = LimitsUpdate.of(Map.of(TOTAL_IOPS_SEC, 0L));

        assertThatThrownBy(() -> clearAverage.applyTo(current))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage(
                        "unsupported configuration: cannot reset 'total_iops_sec' when 'total_iops_sec_max' is set");
    }

    @Test
    void explicitZeroMaxLengthIsRejected() {
        assertThatThrownBy(() -> LimitsUpdate.of(Map.of(TOTAL_BYTES_SEC_MAX_LENGTH, 0L)))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("value 'total_bytes_sec_max_length' must be at least 1");
    }

    @Test
    void explicitZeroForOrdinaryFieldIsAccepted() {
        LimitsUpdate update = LimitsUpdate.of(Map.of(TOTAL_BYTES_SEC, 0L));

        assertThat(update.given()).containsOnly(entry(TOTAL_BYTES_SEC, 0L));
    }

    @Test
    void laterChangesToTheCallersMapDoNotLeakIn() {
        Map<LimitField, Long> given = new HashMap<>();
        given.put(TOTAL_BYTES_SEC, 100L);
        LimitsUpdate update = LimitsUpdate.of(given);

        given.put(TOTAL_IOPS_SEC, 5L);

        assertThat(update.given()).containsOnlyKeys(TOTAL_BYTES_SEC);
    }
}
