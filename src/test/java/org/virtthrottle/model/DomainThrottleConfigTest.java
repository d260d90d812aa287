package org.virtthrottle.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DomainThrottleConfigTest {

    private static ThrottleGroup group(String name, long totalIops) {
        return new ThrottleGroup(name, ThrottleLimits.of(Map.of(LimitField.TOTAL_IOPS_SEC, totalIops)));
    }

    private static List<String> names(DomainThrottleConfig c) {
        return c.groups().stream().map(ThrottleGroup::name).toList();
    }

    private final DomainThrottleConfig abc = DomainThrottleConfig.EMPTY
            .withGroup(group("a", 1))
            .withGroup(group("b", 2))
            .withGroup(group("c", 3));

    @Test
    void withGroupAppendsNewGroupsInOrder() {
        assertThat(names(abc)).containsExactly("a", "b", "c");
    }

    @Test
    void withGroupReplacesAnExistingGroupInPlace() {
        DomainThrottleConfig changed = abc.withGroup(group("b", 20));

        assertThat(names(changed)).containsExactly("a", "b", "c");
        assertThat(changed.group("b")).contains(group("b", 20));
        assertThat(abc.group("b")).contains(group("b", 2));
    }

    @Test
    void withoutGroupRemovesOnlyThatGroup() {
        DomainThrottleConfig changed = abc.withoutGroup("b");

        assertThat(names(changed)).containsExactly("a", "c");
        assertThat(changed.group("b")).isEmpty();
        assertThat(names(abc.withoutGroup("nope"))).containsExactly("a", "b", "c");
    }

    @Test
    void withChainSetsAndReplacesADisksChain() {
        DomainThrottleConfig c = abc.withChain("vda", FilterChain.of("a")).withChain("vdb", FilterChain.of("b"));

        DomainThrottleConfig changed = c.withChain("vda", FilterChain.of("a", "c"));

        assertThat(changed.chains())
                .containsExactly(entry("vda", FilterChain.of("a", "c")), entry("vdb", FilterChain.of("b")));
    }

    @Test
    void withEmptyChainRemovesTheDisk() {
        DomainThrottleConfig c = abc.withChain("vda", FilterChain.of("a")).withChain("vdb", FilterChain.of("b"));

        DomainThrottleConfig changed = c.withChain("vda", FilterChain.of());

        assertThat(changed.chains()).containsOnlyKeys("vdb");
    }

    @Test
    void disksUsingListsTargetsInChainOrder() {
        DomainThrottleConfig c = abc.withChain("vdc", FilterChain.of("b", "a"))
                .withChain("vda", FilterChain.of("c"))
                .withChain("vdb", FilterChain.of("a"));

        assertThat(c.disksUsing("a")).containsExactly("vdc", "vdb");
        assertThat(c.disksUsing("c")).containsExactly("vda");
        assertThat(c.disksUsing("zzz")).isEmpty();
    }

    @Test
    void emptyOnlyWithoutGroupsAndChains() {
        assertThat(DomainThrottleConfig.EMPTY.isEmpty()).isTrue();
        assertThat(abc.isEmpty()).isFalse();
        assertThat(DomainThrottleConfig.EMPTY
                        .withChain("vda", FilterChain.of("x"))
                        .isEmpty())
                .isFalse();
    }
}
