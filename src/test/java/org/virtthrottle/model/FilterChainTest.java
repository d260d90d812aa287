package org.virtthrottle.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FilterChainTest {

    @Test
    void duplicateGroupIsRejected() {
        FilterChain chain = FilterChain.of("a", "b", "a");

        assertThatThrownBy(chain::validated)
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("duplicate filter name 'a' found");
    }

    @Test
    void emptyGroupNameIsRejected() {
        assertThatThrownBy(FilterChain.of("a", "")::validated)
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("empty throttle group name in filter chain");
    }

    @Test
    void distinctGroupsAreValidAndKeepTheirOrder() {
        FilterChain chain = FilterChain.of("c", "a", "b");

        assertThat(chain.validated()).isSameAs(chain);
        assertThat(chain.groups()).containsExactly("c", "a", "b");
    }

    @Test
    void usesTellsWhetherTheGroupIsInTheChain() {
        FilterChain chain = FilterChain.of("a", "b");

        assertThat(chain.uses("b")).isTrue();
        assertThat(chain.uses("c")).isFalse();
    }
}
