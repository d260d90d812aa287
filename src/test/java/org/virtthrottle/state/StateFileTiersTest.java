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
import org.virtthrottle.model.Tier;

/** The state file's tiers: the top-level budgets, a group's {@code tier:}, their errors and export. */
class StateFileTiersTest {
    private static final String FILE =
            """
            tiers:
              gold:
                total_iops_sec: 3000
                read-bytes-sec: 200M
              silver: {total_iops_sec: 300}
            domains:
              web:
                groups:
                  t:
                    tier: gold
                    total_iops_sec: 2000
                  own: {total_iops_sec: 50}
                  none: {tier: '', total_iops_sec: 7}
                disks:
                  vda: [t]
            """;
    private static final ThrottleLimits IOPS_2000 = ThrottleLimits.of(Map.of(LimitField.TOTAL_IOPS_SEC, 2000L));

    private static void fails(String text, String message) {
        assertThatThrownBy(() -> StateFile.parseAll("web.yaml", text))
                .isInstanceOf(StateFileException.class)
                .hasMessage(message);
    }

    @Test
    void theFileGivesBudgetsWithTheirLinesAndEachGroupsTier() {
        DesiredState file = StateFile.parseAll("web.yaml", FILE);

        assertThat(file.tiers())
                .containsExactly(
                        new Tier(
                                "gold",
                                ThrottleLimits.of(Map.of(
                                        LimitField.TOTAL_IOPS_SEC, 3000L, LimitField.READ_BYTES_SEC, 209_715_200L))),
                        new Tier("silver", ThrottleLimits.of(Map.of(LimitField.TOTAL_IOPS_SEC, 300L))));
        assertThat(file.where("silver")).isEqualTo("web.yaml line 5: tiers.silver");
        assertThat(file.where("bronze")).isEqualTo("web.yaml");
        assertThat(file.hasTiers()).isTrue();
        DomainState web = file.domains().get(0);
        assertThat(web.tiers()).as("'' is no tier").containsExactly(Map.entry("t", "gold"));
        assertThat(web.groups().get(0)).isEqualTo(new ThrottleGroup("t", IOPS_2000));
        assertThat(StateFile.parseAll("f", "tiers: {gold: {total_iops_sec: 30}}\n")
                        .domains())
                .as("a file of budgets only")
                .isEmpty();
        assertThat(StateFile.parseAll("f", "domains: {web: {groups: {g: {tier: null}}}}\n")
                        .hasTiers())
                .isFalse();
    }

    @Test
    void aGroupTheFileNamesWithoutATierLeavesItsTierOthersKeepTheirsWithoutPrune() {
        DomainThrottleConfig current = DomainThrottleConfig.EMPTY
                .withGroup(new ThrottleGroup("own", IOPS_2000))
                .withGroup(new ThrottleGroup("kept", IOPS_2000))
                .withTier("own", "silver")
                .withTier("kept", "silver");
        DomainState web = StateFile.parseAll("web.yaml", FILE).domains().get(0);

        DomainThrottleConfig merged = web.desiredFrom(current, false);
        DomainThrottleConfig pruned = web.desiredFrom(current, true);

        assertThat(merged.tiers()).containsOnly(Map.entry("kept", "silver"), Map.entry("t", "gold"));
        assertThat(pruned.tiers()).containsOnly(Map.entry("t", "gold"));
        assertThat(StateDiff.describe(current, merged))
                .containsExactly(
                        "set limits of throttle group own",
                        "created throttle group t",
                        "created throttle group none",
                        "throttle group t joined tier gold",
                        "throttle group own left tier silver",
                        "set the throttle filters of vda to t");
        assertThat(StateDiff.describeTiers(merged.withTier("t", "silver"), merged))
                .containsExactly("throttle group t left tier silver for tier gold");
        assertThat(StateDiff.describeTiers(pruned, pruned.withoutGroup("t")))
                .as("a deleted group's deletion says it")
                .isEmpty();
        assertThat(StateDiff.describe(merged, web.desiredFrom(merged, false))).isEmpty();
    }

    @Test
    void mistakesNameTheLine() {
        fails(
                FILE.replace("silver: {total_iops_sec: 300}", "silver: {size_iops_sec: 300}"),
                "web.yaml line 5: tiers.silver: tier 'silver': 'size_iops_sec' is not a rate; a tier budget takes"
                        + " only total/read/write bytes and IOPS per second");
        fails(
                FILE.replace("silver: {total_iops_sec: 300}", "silver: {}"),
                "web.yaml line 5: tiers.silver: tier 'silver' has no limit: give at least one rate");
        fails(
                FILE.replace("tier: gold", "tier: -gold"),
                "web.yaml line 10: domains.web.groups.t.tier: invalid tier name '-gold': use 1-64 letters, digits,"
                        + " '_', '.' or '-', not starting with '.' or '-'");
        fails(
                FILE.replace("tier: gold", "tier: [gold]"),
                "web.yaml line 10: domains.web.groups.t.tier: expected a tier's name, not a list");
        fails(
                FILE.replace("total_iops_sec: 2000", "tier: silver"),
                "web.yaml line 11: domains.web.groups.t: 'tier' appears twice");
        fails(FILE.replace("tiers:", "tier:"), "web.yaml line 1: unknown key 'tier' (expected 'domains' or 'tiers')");
        fails(FILE + "tiers: {}\n", "web.yaml line 16: 'tiers' appears twice");
    }

    @Test
    void exportWritesTheBudgetsFirstAndEachMembersTierAndReadsBack() {
        DomainThrottleConfig web = DomainThrottleConfig.EMPTY
                .withGroup(new ThrottleGroup("t", IOPS_2000))
                .withGroup(new ThrottleGroup("own", IOPS_2000))
                .withChain("vda", FilterChain.of("t"))
                .withTier("t", "gold");
        Map<String, DomainThrottleConfig> domains = new LinkedHashMap<>();
        domains.put("web", web);
        List<Tier> tiers = List.of(new Tier("gold", ThrottleLimits.of(Map.of(LimitField.TOTAL_IOPS_SEC, 3000L))));

        String yaml = StateFile.toYaml(StateFile.toTree(tiers, domains));
        String json = StateFile.toTree(tiers, domains).toString();

        assertThat(yaml)
                .isEqualTo(
                        """
                        tiers:
                          gold:
                            total_iops_sec: 3000
                        domains:
                          web:
                            groups:
                              t:
                                tier: gold
                                total_iops_sec: 2000
                              own:
                                total_iops_sec: 2000
                            disks:
                              vda:
                              - t
                        """);
        assertThat(StateFile.toYaml(StateFile.toTree(List.of(), domains))).startsWith("domains:");
        for (String text : List.of(yaml, json)) {
            DesiredState read = StateFile.parseAll("f", text);
            assertThat(read.tiers()).isEqualTo(tiers);
            assertThat(read.domains().get(0).desiredFrom(DomainThrottleConfig.EMPTY, true))
                    .isEqualTo(web);
        }
    }
}
