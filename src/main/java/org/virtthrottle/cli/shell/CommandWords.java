package org.virtthrottle.cli.shell;

import java.util.ArrayList;
import java.util.List;
import org.virtthrottle.app.UsageException;

/**
 * The one tokenizer of command text, as virsh splits it: blanks separate words, ';' and newlines end
 * a command, '...' quotes literally, "..." quotes with backslash escapes, a backslash escapes the
 * next character, '#' at the start of a word comments out the rest of the line. Running commands
 * ({@link ScriptParser}) and completing them ({@link ShellLineParser}) both read words from here, so
 * completion sees the words execution will.
 */
final class CommandWords {
    /** A word, or a command separator (';' or a newline), with where it is in the text. */
    record Token(String text, int start, int end, int line, boolean separator) {}

    private CommandWords() {}

    /**
     * @param lenient for text still being typed: an unclosed quote runs to the end instead of being
     *     an error
     */
    static List<Token> split(String text, boolean lenient) {
        List<Token> tokens = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        int start = -1;
        int line = 1;
        int wordLine = 1;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\'' || c == '"') {
                if (start < 0) {
                    start = i;
                    wordLine = line;
                }
                int end = closingQuote(text, i, c);
                if (end < 0 && !lenient) {
                    throw new UsageException("line " + line + ": missing closing " + c);
                }
                int stop = end < 0 ? text.length() : end;
                for (int j = i + 1; j < stop; j++) {
                    char q = text.charAt(j);
                    if (c == '"' && q == '\\' && j + 1 < stop) {
                        q = text.charAt(++j);
                    }
                    if (q == '\n') {
                        line++;
                    }
                    word.append(q);
                }
                i = end < 0 ? stop : end + 1;
                continue;
            }
            if (c == '\\' && i + 1 < text.length()) {
                if (start < 0) {
                    start = i;
                    wordLine = line;
                }
                word.append(text.charAt(i + 1));
                i += 2;
                continue;
            }
            if (c == '#' && start < 0) {
                while (i < text.length() && text.charAt(i) != '\n') {
                    i++;
                }
                continue;
            }
            if (c == ';' || Character.isWhitespace(c)) {
                if (start >= 0) {
                    tokens.add(new Token(word.toString(), start, i, wordLine, false));
                    word.setLength(0);
                    start = -1;
                }
                if (c == ';' || c == '\n') {
                    tokens.add(new Token(String.valueOf(c), i, i + 1, line, true));
                }
                if (c == '\n') {
                    line++;
                }
                i++;
                continue;
            }
            if (start < 0) {
                start = i;
                wordLine = line;
            }
            word.append(c);
            i++;
        }
        if (start >= 0) {
            tokens.add(new Token(word.toString(), start, text.length(), wordLine, false));
        }
        return tokens;
    }

    private static int closingQuote(String text, int open, char quote) {
        for (int j = open + 1; j < text.length(); j++) {
            char c = text.charAt(j);
            if (quote == '"' && c == '\\') {
                j++;
            } else if (c == quote) {
                return j;
            }
        }
        return -1;
    }
}
