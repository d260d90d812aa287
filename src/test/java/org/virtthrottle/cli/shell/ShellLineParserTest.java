package org.virtthrottle.cli.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.jline.reader.CompletingParsedLine;
import org.junit.jupiter.api.Test;

/** Completion sees the words that running the line would: one tokenizer for both. */
class ShellLineParserTest {
    private static CompletingParsedLine at(String line, int cursor) {
        return new ShellLineParser().parse(line, cursor, null);
    }

    @Test
    void wordsAreThoseTheLineRunsWith() {
        for (String line : List.of(
                "throttlegroupset web g\\ 1 --total-iops-sec 5",
                "attach-disk web '/a b.img' vdb",
                "throttlegroupinfo \"we\\\"b\" g")) {
            List<String> run = ScriptParser.parse(line).get(0).argv();
            assertThat(at(line, line.length()).words()).as(line).containsExactlyElementsOf(run);
        }
    }

    @Test
    void aNewWordStartsAfterABlankAndAfterASemicolon() {
        CompletingParsedLine afterBlank = at("throttlegroupinfo ", 18);
        assertThat(afterBlank.words()).containsExactly("throttlegroupinfo", "");
        assertThat(afterBlank.wordIndex()).isEqualTo(1);

        CompletingParsedLine afterSemicolon = at("list;thr", 8);
        assertThat(afterSemicolon.words()).containsExactly("list", ";", "thr");
        assertThat(afterSemicolon.word()).isEqualTo("thr");
        assertThat(afterSemicolon.wordCursor()).isEqualTo(3);
    }

    @Test
    void theCursorCanBeInsideALineAndInsideAnOpenQuote() {
        CompletingParsedLine middle = at("throttlegroupinfo we g1", 20);
        assertThat(middle.wordIndex()).isEqualTo(1);
        assertThat(middle.word()).isEqualTo("we");
        assertThat(middle.wordCursor()).isEqualTo(2);

        CompletingParsedLine openQuote = at("attach-disk web '/var/lib/my im", 31);
        assertThat(openQuote.word()).isEqualTo("/var/lib/my im");
        assertThat(openQuote.wordIndex()).isEqualTo(2);

        CompletingParsedLine beforeWord = at("throttlegroupinfo  g1", 18);
        assertThat(beforeWord.words()).containsExactly("throttlegroupinfo", "", "g1");
        assertThat(beforeWord.wordIndex()).isEqualTo(1);
    }
}
