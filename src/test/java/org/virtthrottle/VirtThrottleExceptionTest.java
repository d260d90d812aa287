package org.virtthrottle;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VirtThrottleExceptionTest {
    @Test
    void controlCharactersInTheMessageAreShownEscapedSoTheErrorIsOneLine() {
        assertThat(new VirtThrottleException("group 'a\nerror: forged\r\t\u001b[31m\u007f'").getMessage())
                .isEqualTo("group 'a\\x0aerror: forged\\x0d\\x09\\x1b[31m\\x7f'");
    }

    @Test
    void everythingElseStaysAsItWas() {
        String text = "unknown group 'grüne-é' (ünïcode, \\x0a as typed)";

        assertThat(new VirtThrottleException(text, new RuntimeException()).getMessage())
                .isSameAs(VirtThrottleException.oneLine(text))
                .isEqualTo(text);
    }
}
