package org.virtthrottle.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.virtthrottle.model.LimitField;
import org.virtthrottle.model.ThrottleLimits;
import org.virtthrottle.model.Tier;

/** The tiers file's text: {@link StateFile#parseTiers} and the YAML written back. */
class TierFileTextTest {
    private static void fails(String text, String message) {
        assertThatThrownBy(() -> StateFile.parseTiers("tiers.yaml", text))
                .isInstanceOf(StateFileException.class)
                .hasMessage(message);
    }

    @Test
    void readsTiersInTheFilesOrderWithScaledBytes() {
        List<Tier> tiers = StateFile.parseTiers(
                "tiers.yaml",
                """
                tiers:
                  silver: {total_iops_sec: 300}
                  gold:
                    read-bytes-sec: 10M
                    write_bytes_sec: "500KB"
                """);
        assertThat(tiers)
                .containsExactly(
                        new Tier("silver", ThrottleLimits.of(Map.of(LimitField.TOTAL_IOPS_SEC, 300L))),
                        new Tier(
                                "gold",
                                ThrottleLimits.of(Map.of(
                                        LimitField.READ_BYTES_SEC, 10_485_760L,
                                        LimitField.WRITE_BYTES_SEC, 500_000L))));
    }

    @Test
    void anEmptyFileOrAnEmptyTiersKeyHoldsNoTiers() {
        assertThat(StateFile.parseTiers("tiers.yaml", "")).isEmpty();
        assertThat(StateFile.parseTiers("tiers.yaml", "tiers:\n")).isEmpty();
        assertThat(StateFile.parseTiers("tiers.yaml", "{\"tiers\": {}}")).isEmpty();
    }

    @Test
    void writtenYamlReadsBackTheSame() {
        List<Tier> tiers = List.of(
                new Tier("b", ThrottleLimits.of(Map.of(LimitField.TOTAL_BYTES_SEC, 1_000_000L))),
                new Tier("a.1", ThrottleLimits.of(Map.of(LimitField.READ_IOPS_SEC, 5L, LimitField.WRITE_IOPS_SEC, 7L))),
                new Tier("10", ThrottleLimits.of(Map.of(LimitField.TOTAL_IOPS_SEC, 1L))));
        String yaml = StateFile.toYaml(StateFile.tiersTree(tiers));
        assertThat(StateFile.parseTiers("tiers.yaml", yaml)).isEqualTo(tiers);
    }

    @Test
    void mistakesNameTheLineAndTheTier() {
        fails(
                "tiers:\n  gold: {total_iops_sec: 5}\n  bad: {size_iops_sec: 4096, total_iops_sec: 5}\n",
                "tiers.yaml line 3: tiers.bad: tier 'bad': 'size_iops_sec' is not a rate; a tier budget takes only "
                        + "total/read/write bytes and IOPS per second");
        fails(
                "tiers:\n  gold: {}\n",
                "tiers.yaml line 2: tiers.gold: tier 'gold' has no limit: give at least one rate");
        fails(
                "tiers:\n  gold: {total_iops_sec: 5, read_iops_sec: 1}\n",
                "tiers.yaml line 2: tiers.gold: invalid argument: total and read/write of iops_sec cannot be set at the same time");
        fails(
                "tiers:\n  gold: {total_iops_sec: 5}\n  gold: {total_iops_sec: 6}\n",
                "tiers.yaml line 3: tiers: 'gold' appears twice");
        fails("tier:\n  gold: {total_iops_sec: 5}\n", "tiers.yaml line 1: unknown key 'tier' (expected 'tiers')");
        fails("tiers:\n  gold: {total_iops: 5}\n", "tiers.yaml line 2: tiers.gold: unknown limit 'total_iops'");
        fails(
                "tiers:\n  -x: {total_iops_sec: 5}\n",
                "tiers.yaml line 2: tiers.-x: invalid tier name '-x': use 1-64 letters, digits, '_', '.' or '-', "
                        + "not starting with '.' or '-'");
    }
}
