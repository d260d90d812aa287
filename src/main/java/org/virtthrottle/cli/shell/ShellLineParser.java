package org.virtthrottle.cli.shell;

import java.util.ArrayList;
import java.util.List;
import org.jline.reader.CompletingParsedLine;
import org.jline.reader.Parser;

/**
 * How the shell's line editor sees words, for completion: the words of {@link CommandWords}, as
 * running the line sees them, with ';' a word of its own so that completion restarts after it.
 */
public final class ShellLineParser implements Parser {
    @Override
    public CompletingParsedLine parse(String line, int cursor, ParseContext context) {
        List<CommandWords.Token> before = CommandWords.split(line.substring(0, cursor), true);
        CommandWords.Token last = before.isEmpty() ? null : before.get(before.size() - 1);
        // the cursor is in (or at the end of) a word when the text before it ends inside that word
        boolean inWord = last != null && !last.separator() && last.end() == cursor;
        List<String> words = new ArrayList<>();
        int wordIndex = -1;
        for (CommandWords.Token token : CommandWords.split(line, true)) {
            if (wordIndex < 0 && token.start() >= cursor && !(inWord && token.start() == last.start())) {
                wordIndex = words.size();
                words.add("");
            }
            if (inWord && token.start() == last.start()) {
                wordIndex = words.size();
            }
            words.add(token.separator() ? ";" : token.text());
        }
        if (wordIndex < 0) {
            wordIndex = words.size();
            words.add("");
        }
        int wordCursor = inWord ? last.text().length() : 0;
        return new Words(line, cursor, words, wordIndex, wordCursor);
    }

    private record Words(String line, int cursor, List<String> words, int wordIndex, int wordCursor)
            implements CompletingParsedLine {
        @Override
        public String word() {
            return words.get(wordIndex);
        }

        @Override
        public CharSequence escape(CharSequence candidate, boolean complete) {
            String s = candidate.toString();
            return s.isEmpty() || s.chars().anyMatch(c -> Character.isWhitespace(c) || "'\";#\\".indexOf(c) >= 0)
                    ? "'" + s.replace("'", "'\\''") + "'"
                    : s;
        }

        @Override
        public int rawWordCursor() {
            return wordCursor;
        }

        @Override
        public int rawWordLength() {
            return word().length();
        }
    }
}
