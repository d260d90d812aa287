package org.virtthrottle.qmp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.virtthrottle.model.LimitField;
import org.virtthrottle.model.ThrottleLimits;

class QmpCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    private static final ThrottleLimits LIMITS;

    static {
        Map<LimitField, Long> v = new EnumMap<>(LimitField.class);
        v.put(LimitField.TOTAL_BYTES_SEC, 10_485_760L);
        v.put(LimitField.TOTAL_BYTES_SEC_MAX, 20_971_520L);
        v.put(LimitField.TOTAL_BYTES_SEC_MAX_LENGTH, 30L);
        v.put(LimitField.READ_IOPS_SEC, 500L);
        v.put(LimitField.WRITE_IOPS_SEC, 200L);
        v.put(LimitField.SIZE_IOPS_SEC, 4096L);
        LIMITS = ThrottleLimits.of(v);
    }

    /** QEMU's ThrottleLimits members for LIMITS that differ from a new group's defaults. */
    private static final String QEMU_LIMITS =
            """
            {
              "bps-total": 10485760, "iops-read": 500, "iops-write": 200,
              "bps-total-max": 20971520, "iops-size": 4096, "bps-total-max-length": 30
            }
            """;

    @Test
    void objectAddThrottleGroupCarriesTheMembersThatDifferFromTheDefaults() throws Exception {
        QmpCommand cmd = QmpCommand.objectAddThrottleGroup("throttle-a", LIMITS);

        JsonNode expected = json(
                """
                {"execute": "object-add",
                 "arguments": {"qom-type": "throttle-group", "id": "throttle-a", "limits": %s}}
                """
                        .formatted(QEMU_LIMITS));
        assertThat(json(cmd.toJsonText())).isEqualTo(expected);
    }

    @Test
    void objectAddWithNoLimitsSendsAnEmptyLimitsObject() throws Exception {
        JsonNode limits = json(QmpCommand.objectAddThrottleGroup("throttle-x", ThrottleLimits.NONE)
                        .toJsonText())
                .at("/arguments/limits");

        assertThat(limits.isObject()).isTrue();
        assertThat(limits.size()).isZero();
    }

    @Test
    void qomSetLimitsSendsOnlyTheChangedMembersWithClearedOnesAsDefaults() throws Exception {
        Map<LimitField, Long> v = new EnumMap<>(LimitField.class);
        v.put(LimitField.READ_BYTES_SEC, 4096L);
        v.put(LimitField.READ_IOPS_SEC, 500L);
        v.put(LimitField.WRITE_IOPS_SEC, 200L);
        v.put(LimitField.SIZE_IOPS_SEC, 4096L);
        ThrottleLimits next = ThrottleLimits.of(v);

        QmpCommand cmd = QmpCommand.qomSetLimits("throttle-db", LIMITS, next);

        // bytes switch from total to read; the bytes max and its length go back to QEMU's defaults
        assertThat(json(cmd.toJsonText()))
                .isEqualTo(
                        json(
                                """
                {"execute": "qom-set",
                 "arguments": {"path": "/objects/throttle-db", "property": "limits",
                               "value": {"bps-total": 0, "bps-read": 4096, "bps-total-max": 0, "bps-total-max-length": 1}}}
                """));
    }

    @Test
    void qomGetLimits() throws Exception {
        assertThat(json(QmpCommand.qomGetLimits("throttle-db").toJsonText()))
                .isEqualTo(
                        json(
                                """
                {"execute": "qom-get", "arguments": {"path": "/objects/throttle-db", "property": "limits"}}
                """));
    }

    @Test
    void objectDel() throws Exception {
        assertThat(json(QmpCommand.objectDel("throttle-db").toJsonText()))
                .isEqualTo(
                        json(
                                """
                {"execute": "object-del", "arguments": {"id": "throttle-db"}}
                """));
    }

    @Test
    void qomList() throws Exception {
        assertThat(json(QmpCommand.qomList("/objects").toJsonText()))
                .isEqualTo(
                        json(
                                """
                {"execute": "qom-list", "arguments": {"path": "/objects"}}
                """));
    }

    @Test
    void queryNamedBlockNodesAsksForAFlatList() throws Exception {
        assertThat(json(QmpCommand.queryNamedBlockNodes().toJsonText()))
                .isEqualTo(
                        json(
                                """
                {"execute": "query-named-block-nodes", "arguments": {"flat": true}}
                """));
    }

    @Test
    void queryBlockGraphHasNoArguments() throws Exception {
        assertThat(json(QmpCommand.queryBlockGraph().toJsonText()))
                .isEqualTo(json("""
                {"execute": "x-debug-query-block-graph"}
                """));
    }

    @Test
    void namesWithQuotesAreEscapedNotConcatenated() throws Exception {
        JsonNode cmd = json(QmpCommand.objectDel("throttle-\"x\"").toJsonText());

        assertThat(cmd.at("/arguments/id").asText()).isEqualTo("throttle-\"x\"");
    }
}
