package org.virtthrottle.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ThrottleLimitsTest {

    private static ThrottleLimits limits(Object... fieldsAndValues) {
        Map<LimitField, Long> values = new EnumMap<>(LimitField.class);
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            values.put((LimitField) fieldsAndValues[i], ((Number) fieldsAndValues[i + 1]).longValue());
        }
        return ThrottleLimits.of(values);
    }

    @Test
    void ofKeepsOnlyNonZeroValues() {
        Map<LimitField, Long> values = new HashMap<>();
        values.put(LimitField.TOTAL_BYTES_SEC, 0L);
        values.put(LimitField.READ_IOPS_SEC, 50L);
        values.put(LimitField.WRITE_IOPS_SEC, null);

        ThrottleLimits l = ThrottleLimits.of(values);

        assertThat(l.nonZero()).containsOnly(entry(LimitField.READ_IOPS_SEC, 50L));
        assertThat(l.get(LimitField.TOTAL_BYTES_SEC)).isZero();
        assertThat(ThrottleLimits.of(Map.of(LimitField.TOTAL_BYTES_SEC, 0L)).isEmpty())
                .isTrue();
    }

    @Test
    void validLimitsPassValidationUnchanged() {
        ThrottleLimits l = limits(
                LimitField.TOTAL_BYTES_SEC, 10_000_000,
                LimitField.READ_IOPS_SEC, 400,
                LimitField.WRITE_IOPS_SEC, 200,
                LimitField.TOTAL_BYTES_SEC_MAX, 20_000_000,
                LimitField.TOTAL_BYTES_SEC_MAX_LENGTH, 60,
                LimitField.READ_IOPS_SEC_MAX, 400,
                LimitField.SIZE_IOPS_SEC, 4096);

        assertThat(l.validated()).isSameAs(l);
    }

    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource({
        "TOTAL_BYTES_SEC,     READ_BYTES_SEC,      bytes_sec",
        "TOTAL_BYTES_SEC,     WRITE_BYTES_SEC,     bytes_sec",
        "TOTAL_IOPS_SEC,      READ_IOPS_SEC,       iops_sec",
        "TOTAL_IOPS_SEC,      WRITE_IOPS_SEC,      iops_sec",
        "TOTAL_BYTES_SEC_MAX, READ_BYTES_SEC_MAX,  bytes_sec_max",
        "TOTAL_BYTES_SEC_MAX, WRITE_BYTES_SEC_MAX, bytes_sec_max",
        "TOTAL_IOPS_SEC_MAX,  READ_IOPS_SEC_MAX,   iops_sec_max",
        "TOTAL_IOPS_SEC_MAX,  WRITE_IOPS_SEC_MAX,  iops_sec_max",
    })
    void totalTogetherWithReadOrWriteIsRejected(LimitField total, LimitField readOrWrite, String label) {
        ThrottleLimits l = limits(total, 100, readOrWrite, 100);

        assertThatThrownBy(l::validated)
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("invalid argument: total and read/write of " + label + " cannot be set at the same time");
    }

    @Test
    void readAndWriteTogetherAreFine() {
        ThrottleLimits l = limits(LimitField.READ_BYTES_SEC, 100, LimitField.WRITE_BYTES_SEC, 200);

        assertThat(l.validated()).isSameAs(l);
    }

    @ParameterizedTest
    @CsvSource({
        "TOTAL_BYTES_SEC_MAX, total_bytes_sec_max, total_bytes_sec",
        "READ_IOPS_SEC_MAX,   read_iops_sec_max,   read_iops_sec",
        "WRITE_BYTES_SEC_MAX, write_bytes_sec_max, write_bytes_sec",
    })
    void maxWithoutItsAverageIsRejected(LimitField max, String maxName, String averageName) {
        ThrottleLimits l = limits(max, 1000);

        assertThatThrownBy(l::validated)
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage(
                        "unsupported configuration: cannot reset '" + averageName + "' when '" + maxName + "' is set");
    }

    @Test
    void maxBelowItsAverageIsRejected() {
        ThrottleLimits l = limits(LimitField.TOTAL_IOPS_SEC, 500, LimitField.TOTAL_IOPS_SEC_MAX, 499);

        assertThatThrownBy(l::validated)
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage(
                        "unsupported configuration: value 'total_iops_sec_max' cannot be smaller than 'total_iops_sec'");
    }

    @Test
    void maxEqualToItsAverageIsAccepted() {
        ThrottleLimits l = limits(LimitField.TOTAL_IOPS_SEC, 500, LimitField.TOTAL_IOPS_SEC_MAX, 500);

        assertThat(l.validated()).isSameAs(l);
    }

    @Test
    void lengthWithoutItsMaxIsRejected() {
        ThrottleLimits l = limits(LimitField.READ_BYTES_SEC, 1000, LimitField.READ_BYTES_SEC_MAX_LENGTH, 10);

        assertThatThrownBy(l::validated)
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("value 'read_bytes_sec_max_length' requires 'read_bytes_sec_max' to be set");
    }

    @Test
    void lengthTimesMaxAboveTheLimitIsRejected() {
        // 1_000_000 * 1_000_000_001 = 1_000_000_001_000_000 > 1e15
        ThrottleLimits l = limits(
                LimitField.TOTAL_BYTES_SEC, 1_000,
                LimitField.TOTAL_BYTES_SEC_MAX, 1_000_000,
                LimitField.TOTAL_BYTES_SEC_MAX_LENGTH, 1_000_000_001L);

        assertThatThrownBy(l::validated)
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("value 'total_bytes_sec_max_length' is too high for 'total_bytes_sec_max'"
                        + " (length times max must stay within 1000000000000000)");
    }

    @Test
    void aLengthBeyondThirtyTwoBitsIsRejectedAsQemuWould() {
        ThrottleLimits tooLong = limits(
                LimitField.TOTAL_IOPS_SEC, 1,
                LimitField.TOTAL_IOPS_SEC_MAX, 1,
                LimitField.TOTAL_IOPS_SEC_MAX_LENGTH, 4_294_967_296L);
        ThrottleLimits longest = limits(
                LimitField.TOTAL_IOPS_SEC, 1,
                LimitField.TOTAL_IOPS_SEC_MAX, 1,
                LimitField.TOTAL_IOPS_SEC_MAX_LENGTH, 4_294_967_295L);

        assertThatThrownBy(tooLong::validated)
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage(
                        "value 'total_iops_sec_max_length' must be no more than 4294967295 (QEMU keeps burst lengths in 32 bits)");
        assertThat(longest.validated()).isEqualTo(longest);
    }

    @Test
    void lengthTimesMaxExactlyAtTheLimitIsAccepted() {
        ThrottleLimits l = limits(
                LimitField.TOTAL_BYTES_SEC, 1_000,
                LimitField.TOTAL_BYTES_SEC_MAX, 1_000_000,
                LimitField.TOTAL_BYTES_SEC_MAX_LENGTH, 1_000_000_000L);

        assertThat(l.validated()).isSameAs(l);
    }

    @Test
    void sizeIopsWithoutAnyIopsLimitIsRejected() {
        ThrottleLimits l = limits(LimitField.SIZE_IOPS_SEC, 4096, LimitField.TOTAL_BYTES_SEC, 1_000_000);

        assertThatThrownBy(l::validated)
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage(
                        "value 'size_iops_sec' requires one of 'total_iops_sec', 'read_iops_sec' or 'write_iops_sec'");
    }

    @Test
    void sizeIopsWithWriteIopsIsAccepted() {
        ThrottleLimits l = limits(LimitField.SIZE_IOPS_SEC, 4096, LimitField.WRITE_IOPS_SEC, 100);

        assertThat(l.validated()).isSameAs(l);
    }

    @Test
    void valueAboveOneQuadrillionIsRejected() {
        ThrottleLimits l = limits(LimitField.WRITE_IOPS_SEC, 1_000_000_000_000_001L);

        assertThatThrownBy(l::validated)
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage(
                        "argument unsupported: block I/O throttle limit value must be no more than 1000000000000000");
    }

    @Test
    void valueOfExactlyOneQuadrillionIsAccepted() {
        ThrottleLimits l = limits(LimitField.TOTAL_BYTES_SEC, 1_000_000_000_000_000L);

        assertThat(l.validated()).isSameAs(l);
    }

    @Test
    void aNegativeValueIsRejectedAsNegative() {
        ThrottleLimits l = limits(LimitField.READ_BYTES_SEC, -5);

        assertThatThrownBy(l::validated)
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("value 'read_bytes_sec' must not be negative (-5)");
    }

    @Test
    void normalizedReadsABurstLengthOfOneAsUnset() {
        ThrottleLimits l = limits(
                LimitField.TOTAL_IOPS_SEC,
                10,
                LimitField.TOTAL_IOPS_SEC_MAX,
                20,
                LimitField.TOTAL_IOPS_SEC_MAX_LENGTH,
                1,
                LimitField.READ_BYTES_SEC_MAX_LENGTH,
                7);

        assertThat(l.normalized().nonZero())
                .containsOnlyKeys(
                        LimitField.TOTAL_IOPS_SEC, LimitField.TOTAL_IOPS_SEC_MAX, LimitField.READ_BYTES_SEC_MAX_LENGTH);
        assertThat(ThrottleLimits.NONE.normalized()).isEqualTo(ThrottleLimits.NONE);
    }
}
