package org.virtthrottle.cli.shell;

import java.util.ArrayList;
import java.util.List;
import org.virtthrottle.app.UsageException;

/**
 * Splits command text into commands as virsh does: ';' and newlines end a command, words are
 * separated by blanks, '...' quotes literally, "..." quotes with backslash escapes, a backslash
 * escapes the next character, and '#' at the start of a word comments out the rest of the line.
 */
public final class ScriptParser {
    /** One command and the line it starts on (1-based). */
    record Command(int line, List<String> argv) {
        String name() {
            return argv.get(0);
        }
    }

    private ScriptParser() {
    }

    static List<Command> parse(String text) {
        List<Command> commands = new ArrayList<>();
        List<String> argv = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int line = 1;
        int commandLine = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'' || c == '"') {
                int end = closingQuote(text, i, c);
                if (end < 0) {
                    throw new UsageException("line " + line + ": missing closing " + c);
                }
                for (int j = i + 1; j < end; j++) {
                    char q = text.charAt(j);
                    if (c == '"' && q == '\\' && j + 1 < end) {
                        q = text.charAt(++j);
                    }
                    if (q == '\n') {
                        line++;
                    }
                    word.append(q);
                }
                inWord = true;
                i = end;
            } else if (c == '\\' && i + 1 < text.length()) {
                word.append(text.charAt(++i));
                inWord = true;
            } else if (c == '#' && !inWord) {
                while (i + 1 < text.length() && text.charAt(i + 1) != '\n') {
                    i++;
                }
            } else if (c == ';' || c == '\n' || Character.isWhitespace(c)) {
                if (inWord) {
                    if (argv.isEmpty()) {
                        commandLine = line;
                    }
                    argv.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                if ((c == ';' || c == '\n') && !argv.isEmpty()) {
                    commands.add(new Command(commandLine, List.copyOf(argv)));
                    argv.clear();
                }
                if (c == '\n') {
                    line++;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            if (argv.isEmpty()) {
                commandLine = line;
            }
            argv.add(word.toString());
        }
        if (!argv.isEmpty()) {
            commands.add(new Command(commandLine, List.copyOf(argv)));
        }
        return commands;
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
