package org.virtthrottle.cli.shell;

import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import org.virtthrottle.cli.completion.Completions;

/** TAB in the shell: the words of the command under the cursor, completed live. */
public final class ShellCompleter implements Completer {
    private final Completions completions;

    ShellCompleter(Completions completions) {
        this.completions = completions;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        List<String> words = line.words().subList(0, line.wordIndex() + 1);
        int start = words.lastIndexOf(";") + 1;
        List<String> command = new java.util.ArrayList<>(words.subList(start, words.size()));
        command.set(command.size() - 1, line.word().substring(0, line.wordCursor()));
        for (String c : completions.complete(command)) {
            boolean more = c.endsWith("/");
            candidates.add(new Candidate(c, c, null, null, null, null, !more));
        }
    }
}
