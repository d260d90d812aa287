package org.virtthrottle.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.virtthrottle.model.DomainThrottleConfig;
import org.virtthrottle.model.FilterChain;
import org.virtthrottle.model.LimitField;
import org.virtthrottle.model.ThrottleGroup;
import org.virtthrottle.model.ThrottleLimits;

class StateFileTest {
    private static final String WEB =
            """
            domains:
              web:
                groups:
                  perdisk:
                    total_iops_sec: 200
                  tenant:
                    read-bytes-sec: 10M
                    write_bytes_sec: "500KB"
                disks:
                  vdb: [perdisk, tenant]
                  vdc: []
                  sda: "perdisk,tenant"
              db:
            """;

    private static void fails(String text, String message) {
        assertThatThrownBy(() -> StateFile.parse("web.yaml", text))
                .isInstanceOf(StateFileException.class)
                .hasMessage(message);
    }

    @Test
    void yamlGivesGroupsWithScaledLimitsInEitherSpellingAndChainsImageSideFirst() {
        List<DomainState> domains = StateFile.parse("web.yaml", WEB);

        assertThat(domains).extracting(DomainState::name).containsExactly("web", "db");
        DomainState web = domains.get(0);
        assertThat(web.groups())
                .containsExactly(
                        new ThrottleGroup("perdisk", ThrottleLimits.of(Map.of(LimitField.TOTAL_IOPS_SEC, 200L))),
                        new ThrottleGroup(
                                "tenant",
                                ThrottleLimits.of(Map.of(
                                        LimitField.READ_BYTES_SEC,
                                        10_485_760L,
                                        LimitField.WRITE_BYTES_SEC,
                                        500_000L))));
        assertThat(web.disks())
                .containsExactly(
                        Map.entry("vdb", FilterChain.of("perdisk", "tenant")),
                        Map.entry("vdc", FilterChain.NONE),
                        Map.entry("sda", FilterChain.of("perdisk", "tenant")));
        assertThat(web.where("groups.tenant")).isEqualTo("web.yaml line 6: domains.web.groups.tenant");
        assertThat(web.where("disks.vdc")).isEqualTo("web.yaml line 11: domains.web.disks.vdc");
        assertThat(domains.get(1).groups()).isEmpty();
        assertThat(domains.get(1).disks()).isEmpty();
    }

    @Test
    void jsonReadsTheSameAndExportedTreesReadBackAsTheyWere() {
        DomainThrottleConfig config = DomainThrottleConfig.EMPTY
                .withGroup(new ThrottleGroup(
                        "a",
                        ThrottleLimits.of(Map.of(
                                LimitField.TOTAL_BYTES_SEC,
                                1_000_000L,
                                LimitField.TOTAL_BYTES_SEC_MAX,
                                2_000_000L,
                                LimitField.TOTAL_BYTES_SEC_MAX_LENGTH,
                                5L))))
                .withGroup(new ThrottleGroup("b", ThrottleLimits.of(Map.of(LimitField.WRITE_IOPS_SEC, 7L))))
                .withChain("vda", FilterChain.of("b", "a"));
        Map<String, DomainThrottleConfig> domains = new LinkedHashMap<>();
        domains.put("web", config);
        domains.put("empty", DomainThrottleConfig.EMPTY);

        String yaml = StateFile.toYaml(StateFile.toTree(domains));
        String json = StateFile.toTree(domains).toString();

        assertThat(yaml).startsWith("domains:\n  web:\n    groups:\n      a:\n        total_bytes_sec: 1000000\n");
        for (String text : List.of(yaml, json)) {
            List<DomainState> read = StateFile.parse("f", text);
            assertThat(read.get(0).desiredFrom(DomainThrottleConfig.EMPTY, true))
                    .isEqualTo(config);
            assertThat(read.get(1).desiredFrom(config, true)).isEqualTo(DomainThrottleConfig.EMPTY);
        }
    }

    @Test
    void mistakesNameTheFileTheLineAndTheField() {
        fails(
                WEB.replace("read-bytes-sec", "total-iop-sec"),
                "web.yaml line 7: domains.web.groups.tenant: unknown limit 'total-iop-sec'");
        fails(
                WEB.replace("10M", "10X"),
                "web.yaml line 7: domains.web.groups.tenant.read-bytes-sec: '10X' is not a non-negative integer"
                        + " or scaled integer (10M, 1G, 500KB)");
        fails(
                WEB.replace("200", "2k"),
                "web.yaml line 5: domains.web.groups.perdisk.total_iops_sec: '2k' is not a non-negative integer");
        fails(
                WEB.replace("200", "-3"),
                "web.yaml line 5: domains.web.groups.perdisk.total_iops_sec: a limit must not be negative (-3)");
        fails(
                WEB.replace("200", "1.5"),
                "web.yaml line 5: domains.web.groups.perdisk.total_iops_sec: '1.5' is not a non-negative integer");
        fails(
                WEB.replace("200", "[1]"),
                "web.yaml line 5: domains.web.groups.perdisk.total_iops_sec: expected a number, not a list");
        fails(
                WEB.replace("write_bytes_sec", "total_bytes_sec"),
                "web.yaml line 6: domains.web.groups.tenant: invalid argument: total and read/write of bytes_sec cannot be set at the same time");
        fails(
                WEB.replace("[perdisk, tenant]", "[perdisk, perdisk]"),
                "web.yaml line 10: domains.web.disks.vdb: duplicate filter name 'perdisk' found");
        fails(WEB.replace("vdc: []", "vdb: []"), "web.yaml line 11: domains.web.disks: 'vdb' appears twice");
        fails(
                WEB.replace("  tenant:", "  ten ant:"),
                "web.yaml line 6: domains.web.groups.ten ant: throttle group name 'ten ant' cannot be used live:"
                        + " QEMU object id 'throttle-ten ant' may only contain letters, digits, '-', '.' and '_'");
        fails(
                WEB.replace("    disks:", "    disk:"),
                "web.yaml line 9: domains.web: unknown key 'disk' (expected 'groups' or 'disks')");
        fails(
                WEB.replace("domains:", "domain:"),
                "web.yaml line 1: unknown key 'domain' (expected 'domains' or 'tiers')");
        fails(
                WEB.replace("vdc: []", "vdc: [a: b]"),
                "web.yaml line 11: domains.web.disks.vdc: expected a group name, not a mapping");
        fails(
                "domains:\n  web:\n    disks:\n      vdb: [a\n",
                "web.yaml line 4: while parsing a flow sequence: expected ',' or ']', but got <stream end>");
        fails(
                "{\"domains\": {\"web\": {\"groups\": {\"g\": {\"total_iops_sec\": 1,}}}}}",
                "web.yaml line 1: Unexpected character ('}' (code 125)): was expecting double-quote to start field name");
        fails("", "web.yaml: the file is empty; it must hold 'domains:'");
    }

    @Test
    void namesThatLookLikeNumbersReadBackAsNamesAfterExport() {
        // found by StateFileFuzzTest: export wrote the chain's group 1 unquoted, which reads back as a number
        DomainThrottleConfig config = new DomainThrottleConfig(
                List.of(new ThrottleGroup("1", ThrottleLimits.of(Map.of(LimitField.TOTAL_IOPS_SEC, 5L)))),
                Map.of("0x10", FilterChain.of("1")));

        String exported = StateFile.toYaml(StateFile.toTree(Map.of("web", config)));

        assertThat(StateFile.parse("exported.yaml", exported).get(0).desiredFrom(DomainThrottleConfig.EMPTY, true))
                .isEqualTo(config);
    }

    @Test
    void quotedTextKeepsTheErrorOnOneLine() {
        // found by StateFileFuzzTest: a quoted value with a line break split the error line
        fails(
                WEB.replace("200", "\"2\\n00\""),
                "web.yaml line 5: domains.web.groups.perdisk.total_iops_sec: '2\\x0a00' is not a non-negative integer");
        fails(
                WEB.replace("[perdisk, tenant]", "[\"a\\rb\", \"a\\rb\"]"),
                "web.yaml line 10: domains.web.disks.vdb: duplicate filter name 'a\\x0db' found");
    }

    @Test
    void withoutPruneOnlyTheNamedGroupsAndChainsChangeWithPruneTheFileIsAll() {
        DomainThrottleConfig current = DomainThrottleConfig.EMPTY
                .withGroup(new ThrottleGroup("old", ThrottleLimits.of(Map.of(LimitField.TOTAL_IOPS_SEC, 1L))))
                .withGroup(new ThrottleGroup(
                        "perdisk",
                        ThrottleLimits.of(Map.of(LimitField.TOTAL_IOPS_SEC_MAX, 9L, LimitField.TOTAL_IOPS_SEC, 5L))))
                .withChain("vdc", FilterChain.of("old"))
                .withChain("vdz", FilterChain.of("old"));
        DomainState web = StateFile.parse("web.yaml", WEB).get(0);

        DomainThrottleConfig merged = web.desiredFrom(current, false);
        DomainThrottleConfig pruned = web.desiredFrom(current, true);

        assertThat(merged.groups()).extracting(ThrottleGroup::name).containsExactly("old", "perdisk", "tenant");
        assertThat(merged.group("perdisk").orElseThrow().limits().nonZero())
                .as("limits are the file's as a whole")
                .containsExactly(Map.entry(LimitField.TOTAL_IOPS_SEC, 200L));
        assertThat(merged.chains()).containsOnlyKeys("vdz", "vdb", "sda");
        assertThat(pruned.groups()).extracting(ThrottleGroup::name).containsExactly("perdisk", "tenant");
        assertThat(pruned.chains()).containsOnlyKeys("vdb", "sda");
        assertThat(StateDiff.describe(current, pruned))
                .containsExactly(
                        "set limits of throttle group perdisk",
                        "created throttle group tenant",
                        "deleted throttle group old",
                        "removed the throttle filters of vdc",
                        "removed the throttle filters of vdz",
                        "set the throttle filters of vdb to perdisk,tenant",
                        "set the throttle filters of sda to perdisk,tenant");
        assertThat(StateDiff.describe(pruned, web.desiredFrom(pruned, false))).isEmpty();
    }
}
