package org.virtthrottle.qmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.virtthrottle.model.LimitField;
import org.virtthrottle.model.ThrottleLimits;

class QemuLimitsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void fromQemuReadsLengthOneAsUnsetAndKeepsOtherValues() throws Exception {
        // as qom-get /objects/throttle-db limits returns it
        JsonNode qemu = JSON.readTree(
                """
                {
                  "bps-total": 10485760, "bps-read": 0, "bps-write": 0,
                  "iops-total": 1, "iops-read": 0, "iops-write": 0,
                  "bps-total-max": 20971520, "bps-read-max": 0, "bps-write-max": 0,
                  "iops-total-max": 0, "iops-read-max": 0, "iops-write-max": 0,
                  "iops-size": 0,
                  "bps-total-max-length": 30, "bps-read-max-length": 1, "bps-write-max-length": 1,
                  "iops-total-max-length": 1, "iops-read-max-length": 1, "iops-write-max-length": 1
                }
                """);

        ThrottleLimits limits = QemuLimits.fromQemu(qemu);

        assertThat(limits.nonZero())
                .containsOnly(
                        entry(LimitField.TOTAL_BYTES_SEC, 10_485_760L),
                        entry(LimitField.TOTAL_IOPS_SEC, 1L),
                        entry(LimitField.TOTAL_BYTES_SEC_MAX, 20_971_520L),
                        entry(LimitField.TOTAL_BYTES_SEC_MAX_LENGTH, 30L));
    }

    @Test
    void missingMembersReadAsUnset() throws Exception {
        ThrottleLimits limits = QemuLimits.fromQemu(JSON.readTree("{\"iops-read\": 40}"));

        assertThat(limits.nonZero()).containsOnly(entry(LimitField.READ_IOPS_SEC, 40L));
    }

    @Test
    void toQemuThenFromQemuGivesTheSameLimits() {
        Map<LimitField, Long> v = new EnumMap<>(LimitField.class);
        v.put(LimitField.READ_BYTES_SEC, 5_000_000L);
        v.put(LimitField.READ_BYTES_SEC_MAX, 8_000_000L);
        v.put(LimitField.READ_BYTES_SEC_MAX_LENGTH, 2L);
        v.put(LimitField.WRITE_IOPS_SEC, 300L);
        ThrottleLimits limits = ThrottleLimits.of(v);

        assertThat(QemuLimits.fromQemu(QemuLimits.toQemu(limits))).isEqualTo(limits);
    }
}
