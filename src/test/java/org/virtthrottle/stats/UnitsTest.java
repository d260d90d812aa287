package org.virtthrottle.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.virtthrottle.model.DomainThrottleConfig;
import org.virtthrottle.model.FilterChain;
import org.virtthrottle.model.LimitField;
import org.virtthrottle.model.ThrottleGroup;
import org.virtthrottle.model.ThrottleLimits;

class UnitsTest {
    @Test
    void bytesPerSecondInBinaryUnits() {
        assertThat(Units.bytesPerSecond(0)).isEqualTo("0 B/s");
        assertThat(Units.bytesPerSecond(1023)).isEqualTo("1023 B/s");
        assertThat(Units.bytesPerSecond(1536)).isEqualTo("1.5 KiB/s");
        assertThat(Units.bytesPerSecond(10 * 1024 * 1024)).isEqualTo("10.0 MiB/s");
        assertThat(Units.bytesPerSecond(3.25 * (1L << 40))).isEqualTo("3.3 TiB/s");
    }

    @Test
    void iopsInDecimalUnits() {
        assertThat(Units.iops(0)).isEqualTo("0.0 IOPS");
        assertThat(Units.iops(39.96)).isEqualTo("40.0 IOPS");
        assertThat(Units.iops(1234)).isEqualTo("1.2k IOPS");
        assertThat(Units.iops(2_500_000)).isEqualTo("2.5M IOPS");
    }

    @Test
    void aRateInTheUnitOfTheLimitItIsFor() {
        assertThat(Units.rate(LimitField.READ_BYTES_SEC, 2048)).isEqualTo("2.0 KiB/s");
        assertThat(Units.rate(LimitField.WRITE_IOPS_SEC, 2048)).isEqualTo("2.0k IOPS");
    }

    @Test
    void barIsFullAt100PercentAndMarksMore() {
        assertThat(Units.bar(0, 10)).isEqualTo("[..........]");
        assertThat(Units.bar(40, 10)).isEqualTo("[####......]");
        assertThat(Units.bar(100, 10)).isEqualTo("[##########]");
        assertThat(Units.bar(250, 10)).isEqualTo("[#########+]");
    }

    @Test
    void tableRowsPerLimitAndPerDisk() {
        DomainThrottleConfig config = new DomainThrottleConfig(
                List.of(
                        new ThrottleGroup("shared", ThrottleLimits.of(Map.of(LimitField.TOTAL_IOPS_SEC, 40L))),
                        new ThrottleGroup(
                                "bursty",
                                ThrottleLimits.of(
                                        Map.of(LimitField.TOTAL_IOPS_SEC, 10L, LimitField.TOTAL_IOPS_SEC_MAX, 20L))),
                        new ThrottleGroup("sizeonly", ThrottleLimits.of(Map.of(LimitField.SIZE_IOPS_SEC, 4096L)))),
                Map.of("vdb", FilterChain.of("shared")));
        DomainCounters before = new DomainCounters("web", 7, 0, Map.of("vdb", new DiskCounters(0, 0, 0, 0)));
        DomainCounters after =
                new DomainCounters("web", 7, 1_000_000_000L, Map.of("vdb", new DiskCounters(36, 36 * 4096, 0, 0)));

        DomainRates rates = DomainRates.between(config, before, after, List.of());

        assertThat(StatTables.groupRows(rates))
                .containsExactly(
                        List.of(
                                "shared",
                                "total_iops_sec",
                                "40.0 IOPS",
                                "36.0 IOPS",
                                "  90% [##################..]",
                                "vdb"),
                        List.of(
                                "bursty",
                                "total_iops_sec",
                                "10.0 IOPS",
                                "0.0 IOPS",
                                "   0% [....................]",
                                "-"),
                        List.of("sizeonly", "-", "-", "-", "-", "-"));
        assertThat(StatTables.diskRows(rates))
                .containsExactly(List.of("vdb", "shared", "36.0 IOPS", "0.0 IOPS", "144.0 KiB/s", "0 B/s"));
    }
}
