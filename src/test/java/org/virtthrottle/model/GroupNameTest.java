package org.virtthrottle.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GroupNameTest {

    @Test
    void emptyNameIsRefused() {
        assertThatThrownBy(() -> GroupName.checkForConfig(""))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("throttle group name must not be empty");
        assertThatThrownBy(() -> GroupName.checkForConfig(null)).isInstanceOf(InvalidConfigException.class);
        assertThatThrownBy(() -> GroupName.checkForLive(""))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("throttle group name must not be empty");
    }

    @Test
    void controlCharacterIsRefusedAndShownEscaped() {
        assertThatThrownBy(() -> GroupName.checkForConfig("db\nlimit"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("throttle group name 'db\\x0alimit' contains a control character");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\tb", "a\u0001", "\u001fx", "x\ry"})
    void controlCharactersAreRefusedOnBothSides(String name) {
        assertThatThrownBy(() -> GroupName.checkForConfig(name))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageEndingWith("contains a control character");
        assertThatThrownBy(() -> GroupName.checkForLive(name))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageEndingWith("contains a control character");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a,b", "a\"b", "a'b", "a<b", "a&b", "a b"})
    void xmlSpecialCharactersAreFineForConfigButRefusedLive(String name) {
        assertThat(GroupName.checkForConfig(name)).isEqualTo(name);

        assertThatThrownBy(() -> GroupName.checkForLive(name))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("throttle group name '" + name + "' cannot be used live: QEMU object id 'throttle-" + name
                        + "' may only contain letters, digits, '-', '.' and '_'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"db", "limit0", "web-01.data_disk", "0"})
    void qemuIdCharactersAreFineLive(String name) {
        assertThat(GroupName.checkForLive(name)).isEqualTo(name);
    }

    @Test
    void longNameOfLettersIsFineForBothSides() {
        String name = "abcdefghij".repeat(10);
        assertThat(name).hasSize(100);

        assertThat(GroupName.checkForConfig(name)).isEqualTo(name);
        assertThat(GroupName.checkForLive(name)).isEqualTo(name);
    }

    @Test
    void qomIdPrefixesTheName() {
        assertThat(GroupName.qomId("db")).isEqualTo("throttle-db");
    }
}
