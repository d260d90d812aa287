package org.virtthrottle.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A program in a real pseudo-terminal (a tmux session), typed at and read from the screen as a person
 * would. Each test JVM has its own tmux server, so test runs side by side never meet.
 */
public final class Terminal implements AutoCloseable {
    private static final String SERVER = "vt-test-" + ProcessHandle.current().pid();
    private final String session;

    private Terminal(String session) {
        this.session = session;
    }

    /** Starts {@code command} (run by the shell tmux starts) in {@code dir}, on a 160x50 screen. */
    public static Terminal start(String session, Path dir, String command) {
        tmux("kill-session", "-t", session);
        // a server whose last session just closed may still be exiting: try again
        for (int attempt = 1; !hasSession(session); attempt++) {
            if (attempt > 5) {
                throw new AssertionError("tmux did not start session " + session);
            }
            tmux("new-session", "-d", "-s", session, "-x", "160", "-y", "50", "-c", dir.toString(), command);
            if (!hasSession(session)) {
                TestHost.sleep(200);
            }
        }
        return new Terminal(session);
    }

    private static boolean hasSession(String session) {
        return tmux("list-sessions", "-F", "#{session_name}").lines().anyMatch(session::equals);
    }

    /** Keys as tmux send-keys names them: text, "Tab", "Enter", "C-c", ... */
    public void type(String... keys) {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", session));
        args.addAll(List.of(keys));
        tmux(args.toArray(String[]::new));
    }

    /** Text typed as it is (send-keys -l), so that words in it such as "Enter" are not taken for keys. */
    public void typeText(String text) {
        tmux("send-keys", "-t", session, "-l", text);
    }

    /** The screen and its scroll-back, each line without trailing blanks. */
    public String screen() {
        return tmux("capture-pane", "-t", session, "-p", "-S", "-200");
    }

    public String awaitScreen(String text, int seconds) {
        return await(s -> s.contains(text), "'" + text + "'", seconds);
    }

    /** Waits for a screen line that is exactly {@code line} (trailing blanks aside). */
    public String awaitLine(String line, int seconds) {
        return await(s -> s.lines().anyMatch(l -> l.stripTrailing().equals(line)), "the line '" + line + "'", seconds);
    }

    public String await(Predicate<String> screenIsReady, String what, int seconds) {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (true) {
            String s = screen();
            if (screenIsReady.test(s)) {
                return s;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(what + " not on screen after " + seconds + " s:\n" + s);
            }
            TestHost.sleep(200);
        }
    }

    /** The command the terminal's foreground process runs (e.g. "sleep" once a program has ended). */
    public String foregroundCommand() {
        return tmux("list-panes", "-t", session, "-F", "#{pane_current_command}")
                .strip();
    }

    @Override
    public void close() {
        tmux("kill-session", "-t", session);
    }

    private static String tmux(String... args) {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", SERVER));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            return out;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
