package org.virtthrottle.cli.shell;

import java.util.ArrayList;
import java.util.List;
import org.jline.reader.CompletingParsedLine;
import org.jline.reader.Parser;

/**
 * How the shell's line editor sees words, for completion: blanks separate words, quotes group
 * them, and ';' is a word of its own so that completion restarts after it. Running a line uses
 * {@link ScriptParser}.
 */
public final class ShellLineParser implements Parser {
    @Override
    public CompletingParsedLine parse(String line, int cursor, ParseContext context) {
        List<String> words = new ArrayList<>();
        int wordIndex = -1;
        int wordCursor = 0;
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i <= line.length(); i++) {
            if (i == cursor) {
                wordIndex = words.size();
                wordCursor = word.length();
            }
            if (i == line.length()) {
                break;
            }
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c) || c == ';') {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                    if (i >= cursor && wordIndex == words.size() - 1) {
                        // the cursor was inside the word just finished
                        break;
                    }
                }
                if (c == ';') {
                    words.add(";");
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord || wordIndex == words.size()) {
            words.add(word.toString());
        }
        if (wordIndex < 0 || wordIndex >= words.size()) {
            wordIndex = words.size() - 1;
            wordCursor = words.get(wordIndex).length();
        }
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
                    ? "'" + s.replace("'", "'\\''") + "'" : s;
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
