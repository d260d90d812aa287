package org.virtthrottle.cli.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtthrottle.app.UsageException;

class ScriptParserTest {
    private static List<List<String>> argvs(String text) {
        return ScriptParser.parse(text).stream().map(ScriptParser.Command::argv).toList();
    }

    @Test
    void semicolonsAndNewlinesSeparateCommands() {
        assertThat(argvs("a 1; b 2\nc;;d"))
                .containsExactly(List.of("a", "1"), List.of("b", "2"), List.of("c"), List.of("d"));
    }

    @Test
    void quotesKeepBlanksAndSemicolonsAndMayBeEmpty() {
        assertThat(argvs("set dom 'sp ace;x' \"a\\\"b\" '' x\"y z\""))
                .containsExactly(List.of("set", "dom", "sp ace;x", "a\"b", "", "xy z"));
    }

    @Test
    void backslashEscapesTheNextCharacter() {
        assertThat(argvs("a b\\ c d\\;e")).containsExactly(List.of("a", "b c", "d;e"));
    }

    @Test
    void hashStartsACommentOnlyAtTheStartOfAWord() {
        assertThat(argvs("# whole line\na x#y # rest ; b\nc")).containsExactly(List.of("a", "x#y"), List.of("c"));
    }

    @Test
    void eachCommandKnowsItsLine() {
        List<ScriptParser.Command> commands = ScriptParser.parse("\n\na; b\n# c\n  d 'multi\nline' ; e");

        assertThat(commands).extracting(ScriptParser.Command::line).containsExactly(3, 3, 5, 6);
    }

    @Test
    void anUnclosedQuoteIsAnErrorNamingTheLine() {
        assertThatThrownBy(() -> ScriptParser.parse("a\nb 'open"))
                .isInstanceOf(UsageException.class)
                .hasMessage("line 2: missing closing '");
    }

    @Test
    void blankTextHasNoCommands() {
        assertThat(ScriptParser.parse("  ;\n ; # nothing")).isEmpty();
    }
}
