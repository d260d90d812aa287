package org.virtthrottle.cli.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits command text into commands (the words of {@link CommandWords}, up to each ';' or newline),
 * each with the line it starts on.
 */
public final class ScriptParser {
    /** One command and the line it starts on (1-based). */
    record Command(int line, List<String> argv) {
        String name() {
            return argv.get(0);
        }
    }

    private ScriptParser() {}

    static List<Command> parse(String text) {
        List<Command> commands = new ArrayList<>();
        List<String> argv = new ArrayList<>();
        int commandLine = 1;
        for (CommandWords.Token token : CommandWords.split(text, false)) {
            if (!token.separator()) {
                if (argv.isEmpty()) {
                    commandLine = token.line();
                }
                argv.add(token.text());
            } else if (!argv.isEmpty()) {
                commands.add(new Command(commandLine, List.copyOf(argv)));
                argv.clear();
            }
        }
        if (!argv.isEmpty()) {
            commands.add(new Command(commandLine, List.copyOf(argv)));
        }
        return commands;
    }
}
