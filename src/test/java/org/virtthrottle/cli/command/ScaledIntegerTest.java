package org.virtthrottle.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.virtthrottle.app.UsageException;
import org.virtthrottle.model.InvalidConfigException;
import org.virtthrottle.model.ThrottleLimits;

/** Limit values as virsh parses them (virScaleInteger): binary and decimal suffixes, bounds. */
class ScaledIntegerTest {
    @Test
    void suffixesScaleBytesBinaryOrDecimal() {
        assertThat(ScaledInteger.parse("10M", "total-bytes-sec", true)).isEqualTo(10L * 1024 * 1024);
        assertThat(ScaledInteger.parse("1GiB", "total-bytes-sec", true)).isEqualTo(1L << 30);
        assertThat(ScaledInteger.parse("500KB", "total-bytes-sec", true)).isEqualTo(500_000);
        assertThat(ScaledInteger.parse("7bytes", "total-bytes-sec", true)).isEqualTo(7);
        assertThat(ScaledInteger.parse("3t", "total-bytes-sec", true)).isEqualTo(3L << 40);
        assertThat(ScaledInteger.parse("0", "total-iops-sec", false)).isZero();
    }

    @Test
    void iopsTakeNoSuffixAndNothingMalformedPasses() {
        for (String bad : new String[] {"10k", "-1", "1.5", "", " 5"}) {
            assertThatThrownBy(() -> ScaledInteger.parse(bad, "total-iops-sec", false))
                    .as(bad)
                    .isInstanceOf(UsageException.class)
                    .hasMessage("Numeric value '" + bad + "' for <total-iops-sec> option is malformed or out of range");
        }
    }

    @Test
    void aMalformedValueGetsVirshsTwoLinesScaledOnesSayingSo() {
        // virsh 11.3: vshCommandOptScaledInt's line, then domthrottlegroupset's own
        for (String bad : new String[] {"10MiBs", "10X", "-1", "abc"}) {
            assertThatThrownBy(() -> ScaledInteger.parse(bad, "total-bytes-sec", true))
                    .as(bad)
                    .isInstanceOfSatisfying(UsageException.class, e -> assertThat(e.lines())
                            .containsExactly(
                                    "Scaled numeric value '" + bad
                                            + "' for <total-bytes-sec> option is malformed or out of range",
                                    "Unable to parse integer parameter"));
        }
    }

    @Test
    void valuesAboveQemusMaximumAreRefused() {
        assertThat(ScaledInteger.parse(Long.toString(ThrottleLimits.VALUE_MAX), "total-bytes-sec", true))
                .isEqualTo(ThrottleLimits.VALUE_MAX);
        assertThatThrownBy(() -> ScaledInteger.parse("8E", "total-bytes-sec", true))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage(
                        "argument unsupported: block I/O throttle limit value must be no more than 1000000000000000");
        assertThatThrownBy(() -> ScaledInteger.parse("99999999999999999999999", "total-iops-sec", false))
                .isInstanceOf(InvalidConfigException.class);
    }
}
