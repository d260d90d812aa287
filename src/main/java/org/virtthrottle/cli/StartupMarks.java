package org.virtthrottle.cli;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a one-shot command's time goes, printed at exit with --debug: milliseconds since the JVM
 * started at each mark. Marks cost nothing without --debug (docs/performance.md
 * quotes them).
 */
public final class StartupMarks {
    private static final long MAIN = System.nanoTime();
    private static final List<String> NAMES = new ArrayList<>();
    private static final List<Long> TIMES = new ArrayList<>();
    private static boolean on;

    private StartupMarks() {}

    /** Turns the marks on when the raw command line asks for --debug (before picocli has parsed it). */
    static void enableFor(String... args) {
        for (String arg : args) {
            on |= arg.equals("--debug");
        }
    }

    public static void mark(String name) {
        if (on) {
            NAMES.add(name);
            TIMES.add(System.nanoTime());
        }
    }

    static void print(PrintWriter err) {
        if (!on) {
            return;
        }
        // the JVM's uptime when main started: read at the end, so loading the management classes is not measured
        double atMain = ManagementFactory.getRuntimeMXBean().getUptime() - (System.nanoTime() - MAIN) / 1e6;
        StringBuilder line = new StringBuilder(String.format("startup: main %.0f ms", atMain));
        for (int i = 0; i < NAMES.size(); i++) {
            line.append(String.format(", %s %.1f ms", NAMES.get(i), atMain + (TIMES.get(i) - MAIN) / 1e6));
        }
        err.println(line);
    }
}
